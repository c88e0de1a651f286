/**
 * The Slack sandbox's message, user and change shapes, apart from the workspace that holds them so that threads.ts
 * and workspace.ts can both use them without importing each other.
 */
export type SlackMessage = Record<string, unknown> & {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  edited?: { user: string; ts: string };
};
export type SlackUser = Record<string, unknown> & { id: string; name: string; deleted: boolean; updated: number };
export type WorkspaceChange = {
  channel: string;
  kind: 'posted' | 'changed' | 'deleted';
  message: SlackMessage;
  previous?: SlackMessage;
};
