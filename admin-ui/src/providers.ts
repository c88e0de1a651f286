/**
 * What the create form offers per provider: the entities its adapter syncs by default (mirrors
 * DEFAULT_ENTITIES in shared/core/integration.ts; the API has the final word and names a bad entity).
 */
import type { ProviderId } from '../../shared/admin/contracts/integrations';

export const PROVIDERS: Array<{ id: ProviderId; label: string; entities: string[] }> = [
  { id: 'github', label: 'GitHub', entities: ['issues', 'issue_comments'] },
  { id: 'salesforce', label: 'Salesforce', entities: ['Account', 'Contact', 'Opportunity'] },
  { id: 'notion', label: 'Notion', entities: ['pages'] },
  { id: 'slack', label: 'Slack', entities: ['messages', 'users'] },
  { id: 'google', label: 'Google Calendar', entities: ['events'] },
];

export function providerLabel(id: string): string {
  return PROVIDERS.find((provider) => provider.id === id)?.label ?? id;
}
