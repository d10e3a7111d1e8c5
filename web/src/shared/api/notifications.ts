import {
  notificationsList, notificationsPreferences, notificationsRead, notificationsReadAll, notificationsSetPreferences,
  type NotificationDto, type NotificationPreferencesDto,
} from '@opsflow/plugin-sdk';

export type AppNotification = NotificationDto;
export type NotificationPreferences = NotificationPreferencesDto;
export type Channel = 'inApp' | 'email';
export type PreferenceChanges = Record<string, Partial<Record<Channel, boolean>>>;

/** The bell and the notification settings, through the generated client. */
export const notificationsApi = {
  latest: async (pageSize = 10) => (await notificationsList({ query: { page: 1, pageSize } })).data,
  unreadCount: async () => (await notificationsList({ query: { page: 1, pageSize: 1, unread: true } })).data.unread,
  read: async (id: string): Promise<void> => {
    await notificationsRead({ path: { id } });
  },
  readAll: async (): Promise<void> => {
    await notificationsReadAll();
  },
  preferences: async () => (await notificationsPreferences()).data,
  setPreferences: async (preferences: PreferenceChanges) => (await notificationsSetPreferences({ body: { preferences } })).data,
};
