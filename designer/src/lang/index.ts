import sharedEn from '@opsflow/web/shared/lang/en.json';
import sharedZh from '@opsflow/web/shared/lang/zh-CN.json';
import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | Tree };

/** The app's texts over the shared ones, merged per section: `errors` and `nav` extend the shared sections. */
function merge(base: Tree, extra: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = typeof value === 'object' && typeof current === 'object' ? merge(current, value) : value;
  }
  return out;
}

export const messages = {
  en: merge(sharedEn as Tree, en as Tree),
  'zh-CN': merge(sharedZh as Tree, zhCN as Tree),
};
