import { computed, ref } from 'vue';
import { instancesApi, processesApi, type HistoryEntry, type InstanceDetail } from '../../../shared/api/processes';
import { buildTimeline, diagramMarkers, readProcessGraph, type ProcessGraph } from '../history';
import { useUserNames } from './use-user-names';

const EMPTY_GRAPH: ProcessGraph = { names: new Map(), kinds: new Map(), flows: [], hasDiagram: false };

/**
 * A request (process instance) told for people: `{ instance, timeline, markers, xml, loading, error, load }`.
 * The diagram's XML comes from the instance's own deployed version, so later versions do not change the picture.
 */
export function useRequestStory() {
  const users = useUserNames();
  const instance = ref<InstanceDetail | null>(null);
  const history = ref<HistoryEntry[]>([]);
  const xml = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  /** the diagram could not be loaded (the rest of the story still shows) */
  const xmlError = ref<unknown>(null);

  const graph = computed(() => (xml.value ? readProcessGraph(xml.value) : EMPTY_GRAPH));
  const starterName = computed(() => users.name(instance.value?.startedBy));
  const timeline = computed(() =>
    instance.value
      ? buildTimeline(history.value, {
        activeElements: instance.value.activeElements,
        incidents: instance.value.incidents,
        graph: graph.value,
        starterName: starterName.value,
      })
      : [],
  );
  const markers = computed(() =>
    diagramMarkers(history.value, instance.value?.activeElements ?? [], instance.value?.incidents ?? [], graph.value.flows),
  );

  async function loadXml(processId: string, version: number): Promise<void> {
    xmlError.value = null;
    try {
      xml.value = (await processesApi.version(processId, version)).bpmnXml;
    } catch (e) {
      xml.value = null;
      xmlError.value = e;
    }
  }

  async function load(instanceId: string): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const [detail, entries] = await Promise.all([instancesApi.get(instanceId), instancesApi.history(instanceId)]);
      instance.value = detail;
      history.value = entries;
      if (!xml.value) await loadXml(detail.processId, detail.version);
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  return { instance, history, xml, graph, timeline, markers, loading, error, xmlError, load, loadXml, starterName };
}
