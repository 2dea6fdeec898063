import type { User } from '#domain/model.ts';
import type { AddUserResult, UserStore } from '#domain/ports.ts';

/**
 * A UserStore in memory, with the real store's rule: an address belongs to one user, and
 * adding the same user again is not a conflict.
 */
export class InMemoryUserStore implements UserStore {
  readonly #users = new Map<string, User>();
  readonly #owners = new Map<string, string>();

  constructor(existing: User[] = []) {
    for (const user of existing) this.#claim(user);
  }

  async addUser(user: User): Promise<AddUserResult> {
    const taken = [user.email, ...user.aliases].filter((address) => {
      const owner = this.#owners.get(address);
      return owner !== undefined && owner !== user.userId;
    });
    if (taken.length > 0) return { added: false, taken };
    this.#claim(user);
    return { added: true };
  }

  async findUserByAddress(address: string): Promise<User | null> {
    const owner = this.#owners.get(address.toLowerCase());
    return owner === undefined ? null : (this.#users.get(owner) ?? null);
  }

  async getUser(userId: string): Promise<User | null> {
    return this.#users.get(userId) ?? null;
  }

  async listUsers(): Promise<User[]> {
    return [...this.#users.values()];
  }

  #claim(user: User): void {
    this.#users.set(user.userId, user);
    for (const address of [user.email, ...user.aliases]) this.#owners.set(address, user.userId);
  }
}
