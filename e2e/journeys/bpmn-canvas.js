// Helpers over the process designer's bpmn-js canvas for journeys that model a process with the mouse:
// shapes by id, the context pad, the palette, the selection, the label editor.
import assert from 'node:assert/strict';

const centre = (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/** Helpers over the bpmn-js canvas: shapes by id, the context pad, the palette, the selection. */
export function diagram(page) {
  const shape = (id) => page.locator(`.djs-element[data-element-id="${id}"]`);
  const canvas = page.locator('[data-test="bpmn-canvas"]');
  const selectedId = async () => {
    await page.locator('.djs-element.selected').first().waitFor();
    return page.locator('.djs-element.selected').first().getAttribute('data-element-id');
  };
  const box = async (id) => shape(id).locator('.djs-hit').first().boundingBox();
  /** Clicks an empty spot of the canvas (ends label editing, clears the selection). */
  const clickEmpty = async () => {
    const b = await canvas.boundingBox();
    // top right: the bottom right holds the bpmn.io logo, whose click opens a lightbox
    await page.mouse.click(b.x + b.width - 60, b.y + 40);
  };
  /** Where a click hits the element: a shape's centre, or the middle of a connection's line (a bent one's box centre is off it). */
  const target = async (id) => shape(id).locator('.djs-hit').first().evaluate((hit) => {
    if (hit.tagName.toLowerCase() === 'polyline' || hit.tagName.toLowerCase() === 'path') {
      const point = hit.getPointAtLength(hit.getTotalLength() / 2);
      const m = hit.getScreenCTM();
      return { x: point.x * m.a + point.y * m.c + m.e, y: point.x * m.b + point.y * m.d + m.f };
    }
    const b = hit.getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  });
  const select = async (id) => {
    // a click on the element that is already the only selection would select nothing (bpmn-js toggles it off)
    if (await page.locator(`.djs-element.selected[data-element-id="${id}"]`).count() === 1 && await page.locator('.djs-element.selected').count() === 1) return;
    const at = await target(id);
    await page.mouse.click(at.x, at.y);
    await page.locator(`.djs-element.selected[data-element-id="${id}"]`).waitFor({ state: 'attached', timeout: 5000 });
  };
  const padAction = async (id, action) => {
    await select(id);
    await page.locator(`.djs-context-pad [data-action="${action}"]`).click();
  };
  /** Appends from the context pad; a name is typed into the label editor bpmn-js opens. Returns the new id. */
  const append = async (fromId, action, name) => {
    await padAction(fromId, action);
    const id = await selectedId();
    assert.notEqual(id, fromId, `${action} selects the new element`);
    const editor = page.locator('.djs-direct-editing-parent');
    if (await editor.isVisible()) {
      if (name) await page.keyboard.type(name);
      else await page.keyboard.press('Escape');
    }
    await clickEmpty();
    return id;
  };
  const replace = async (id, entryId) => {
    await padAction(id, 'replace');
    await page.locator(`.djs-popup [data-id="${entryId}"]`).click();
    await page.locator(`.djs-element[data-element-id="${id}"]`).waitFor();
  };
  /** Connects two shapes with the context pad's connect tool and the mouse. */
  const connect = async (fromId, toId) => {
    const before = await page.locator('.djs-connection').count();
    await padAction(fromId, 'connect');
    const to = centre(await box(toId));
    await page.mouse.move(to.x - 20, to.y, { steps: 8 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.click(to.x, to.y);
    for (let i = 0; i < 30 && (await page.locator('.djs-connection').count()) === before; i += 1) await page.waitForTimeout(100);
    assert.equal(await page.locator('.djs-connection').count(), before + 1, `a flow from ${fromId} to ${toId}`);
    await clickEmpty();
  };
  /** Takes an element from the palette (a click picks it up) and drops it on the canvas; returns the new id. */
  const fromPalette = async (action, to) => {
    const before = await page.locator('.djs-shape').count();
    await page.locator(`.djs-palette [data-action="${action}"]`).click();
    await page.mouse.move(to.x - 30, to.y - 10, { steps: 10 });
    await page.mouse.move(to.x, to.y, { steps: 10 });
    await page.mouse.click(to.x, to.y);
    for (let i = 0; i < 30 && (await page.locator('.djs-shape').count()) === before; i += 1) await page.waitForTimeout(100);
    assert.ok((await page.locator('.djs-shape').count()) > before, `${action} drops a new shape`);
    const id = await selectedId();
    await clickEmpty();
    return id;
  };
  /** Names an element in bpmn-js's label editor (a double click opens it). */
  const rename = async (id, name) => {
    const b = await box(id);
    await page.mouse.dblclick(b.x + b.width / 2, b.y + b.height / 2);
    await page.locator('.djs-direct-editing-parent').waitFor();
    await page.keyboard.type(name);
    await clickEmpty();
  };
  return { shape, select, selectedId, box, append, replace, connect, fromPalette, rename, clickEmpty };
}

