/** Stops what global-setup started. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__testServices ?? []).map((service) => service.stop()));
}
