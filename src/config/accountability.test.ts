import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';

describe('audit, idempotency and quota config', () => {
  it('defaults: file sink under <data-dir>/audit, 24 h keys, no quotas', () => {
    const c = loadConfig({ dataDir: '/srv/cd' });
    assert.deepEqual(c.audit, { sinks: ['file'], dir: '/srv/cd/audit', retryMaxMs: 30_000, retentionMs: 7 * 86_400_000 });
    assert.equal(c.idempotencyTtlMs, 24 * 3_600_000);
    assert.deepEqual(c.quotas, { desktopImages: {}, desktops: {}, computeImages: {} });
  });

  it('reads sinks, webhook, quotas with size units', () => {
    const c = loadConfig({
      dataDir: '/d', auditSinks: 'stdout, webhook', auditWebhookUrl: 'https://siem.example/in', auditWebhookToken: 't',
      quotaDesktopImagesCount: '8', quotaDesktopImagesSize: '1T', idempotencyTtlHours: '48',
    });
    assert.deepEqual(c.audit.sinks, ['stdout', 'webhook']);
    assert.deepEqual(c.audit.webhook, { url: 'https://siem.example/in', token: 't' });
    assert.deepEqual(c.quotas.desktopImages, { count: 8, size: 1024 ** 4 });
    assert.equal(c.idempotencyTtlMs, 48 * 3_600_000);
    assert.deepEqual(loadConfig({ auditSinks: 'none' }).audit.sinks, []);
    assert.deepEqual(loadConfig({ quotaDesktopImagesSize: 'unlimited', quotaDesktopImagesCount: '' }).quotas.desktopImages, {});
  });

  it('names the flag and the variable of a bad value', () => {
    assert.throws(() => loadConfig({ auditSinks: 'file,s3' }), /--audit-sinks \/ CLOUDDESK_AUDIT_SINKS: "s3"/);
    assert.throws(() => loadConfig({ auditSinks: 'webhook' }), /--audit-webhook-url \/ CLOUDDESK_AUDIT_WEBHOOK_URL is required/);
    assert.throws(() => loadConfig({ auditWebhookUrl: 'https://x' }), /only with it/);
    assert.throws(() => loadConfig({ auditSinks: 'webhook', auditWebhookUrl: 'ftp://x' }), /http\(s\) URL/);
    assert.throws(() => loadConfig({ auditSinks: 'webhook', auditWebhookUrl: 'https://u:p@x' }), /without credentials/);
    assert.throws(() => loadConfig({ quotaDesktopImagesSize: '5 apples' }), /CLOUDDESK_QUOTA_DESKTOP_IMAGES_SIZE/);
    assert.throws(() => loadConfig({ quotaDesktopImagesCount: '1.5' }), /CLOUDDESK_QUOTA_DESKTOP_IMAGES_COUNT/);
    assert.throws(() => loadConfig({ idempotencyTtlHours: '0' }), /CLOUDDESK_IDEMPOTENCY_TTL_HOURS/);
  });
});
