// The app over an S3 bucket (a real Ceph gateway) through two endpoint processes, as behind a
// load balancer: what a participant publishes through one process, the map served by the other
// shows, and an edit published again replaces it there; a first visit's pull is a checkpoint
// and a delta.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { addProject, fillProfileName, launchBrowser, openMap, openPage, publishNow, s3Gateway, startEndpoint } from '../lib.mjs';

const gateway = s3Gateway();

test('published through one process, shown by the map of another, on one bucket', { skip: !gateway && 'no S3 gateway (CEPH_S3_ENDPOINT)' }, async () => {
  const s3Prefix = `room-${randomUUID()}`;
  const [front, back] = [await startEndpoint({ s3Prefix }), await startEndpoint({ s3Prefix })];
  const browser = await launchBrowser();
  try {
    const participant = await openPage(await browser.newContext({ locale: 'en-GB' }), front.url + '/');
    await fillProfileName(participant.page, 'Aminata Diallo');
    await addProject(participant.page, 'Télécentres ruraux', 'infrastructure');
    await publishNow(participant.page);

    const facilitator = await openPage(await browser.newContext({ locale: 'en-GB' }), back.url + '/');
    await openMap(facilitator.page);
    await facilitator.page.locator('.community-resource', { hasText: 'Télécentres ruraux' }).waitFor();
    assert.match(await facilitator.page.getByTestId('community-counts').innerText(), /1 participant, 1 resource/);

    await addProject(participant.page, 'Stratégie nationale TIC', 'e-government');
    await publishNow(participant.page);
    await facilitator.page.locator('.community-resource', { hasText: 'Stratégie nationale TIC' }).waitFor({ timeout: 15_000 });
    assert.match(await facilitator.page.getByTestId('community-counts').innerText(), /1 participant, 2 resources/);

    const delta = await (await fetch(`${back.url}/bundles/?since=0`)).json();
    assert.ok(delta.seq >= 2, `each publication has its change number (${delta.seq})`);
    assert.deepEqual(delta.changed.map((entry) => entry.author), [(await (await fetch(`${front.url}/bundles/`)).json())[0].author]);
    assert.deepEqual([...participant.errors, ...facilitator.errors], []);
  } finally {
    await browser.close();
    await front.stop();
    await back.stop();
  }
});
