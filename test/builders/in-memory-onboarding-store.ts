import type {
  AllowedDomain,
  JoinMailKind,
  JoinMailRecord,
  OnboardingStore,
  WelcomeRecord,
} from '#domain/ports.ts';

/** An OnboardingStore in memory, with the real store's rule: each claim succeeds once. */
export class InMemoryOnboardingStore implements OnboardingStore {
  readonly #domains = new Map<string, string>();
  readonly #claims = new Map<string, JoinMailRecord>();

  constructor(allowed: string[] = []) {
    for (const domain of allowed) this.#domains.set(domain, '2026-01-01T00:00:00.000Z');
  }

  async allowDomain(domain: string, at: Date): Promise<boolean> {
    if (this.#domains.has(domain)) return false;
    this.#domains.set(domain, at.toISOString());
    return true;
  }

  async removeDomain(domain: string): Promise<boolean> {
    return this.#domains.delete(domain);
  }

  async allowedDomains(): Promise<AllowedDomain[]> {
    return [...this.#domains].map(([domain, allowedAt]) => ({ domain, allowedAt }));
  }

  async isAllowed(domain: string): Promise<boolean> {
    return this.#domains.has(domain);
  }

  async anyAllowed(): Promise<boolean> {
    return this.#domains.size > 0;
  }

  async claimJoinMail(
    address: string,
    kind: JoinMailKind,
    day: string,
    record: JoinMailRecord,
  ): Promise<boolean> {
    const key = `${address} ${kind} ${day}`;
    if (this.#claims.has(key)) return false;
    this.#claims.set(key, record);
    return true;
  }

  async welcomeOf(address: string, day: string): Promise<WelcomeRecord | null> {
    const timeZone = this.#claims.get(`${address} welcome ${day}`)?.timeZone;
    return timeZone ? { timeZone } : null;
  }
}
