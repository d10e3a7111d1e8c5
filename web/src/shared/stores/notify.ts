import { defineStore } from 'pinia';
import { ref } from 'vue';

export type NoticeColor = 'success' | 'error' | 'info' | 'warning';

/** The one snackbar of the app. */
export const useNotifyStore = defineStore('notify', () => {
  const visible = ref(false);
  const message = ref('');
  const color = ref<NoticeColor>('info');

  function show(text: string, kind: NoticeColor = 'info'): void {
    message.value = text;
    color.value = kind;
    visible.value = true;
  }

  return {
    visible,
    message,
    color,
    show,
    success: (text: string) => show(text, 'success'),
    error: (text: string) => show(text, 'error'),
  };
});
