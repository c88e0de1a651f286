/**
 * The Service Bus queues the app uses, with the properties the code relies on. infra/ must declare them the
 * same way (checked by tests); the embedded queue applies the same properties locally.
 */
export const QUEUES = {
  syncInbound: { name: 'sync-inbound', requiresSession: true, requiresDuplicateDetection: true },
  syncOutbound: { name: 'sync-outbound', requiresSession: false, requiresDuplicateDetection: true },
} as const;

export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey]['name'];

/** The app-setting name of the Service Bus connection used by the triggers and the sender. */
export const SERVICE_BUS_CONNECTION = 'ServiceBusConnection';
