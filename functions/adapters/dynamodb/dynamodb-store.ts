import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HistoryCheckpoint } from '#domain/history-checkpoint.ts';
import type { InboundEnvelope, LoggedMessage, Outcome, User } from '#domain/model.ts';
import type {
  AccountStore,
  DeleteUserOptions,
  DigestItemRef,
  DigestRecord,
  DigestStore,
  HistoryStore,
  LedgerStore,
  RawMailStore,
  ReceiptRef,
  ReceiptStore,
  ReceiptSummary,
  Store,
  UserDeletion,
  UserStore,
} from '#domain/ports.ts';
import type { StopReason } from '#domain/sending-state.ts';
import { DynamoAccountStore } from './account-store.ts';
import { DynamoDigestStore } from './digest-store.ts';
import { DynamoTable } from './dynamodb-table.ts';
import { DynamoHistoryStore } from './history-store.ts';
import { DynamoLedgerStore } from './ledger-store.ts';
import { DynamoReceiptStore } from './receipt-store.ts';
import { DynamoUserDeletion } from './user-deletion.ts';
import { DynamoUserStore } from './user-store.ts';

export { messageItem, threadProjection } from './ledger-store.ts';
export { stalledAfterMs } from './receipt-store.ts';

export interface DynamoStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock: () => Date;
}

/**
 * The Store port on one DynamoDB table (or dynalite, which speaks the same API): one module per
 * port (receipt-store, user-store, ledger-store, digest-store), each a row family of
 * docs/storage.md, composed here so that callers hold one store.
 */
export class DynamoStore implements Store, HistoryStore, UserDeletion, AccountStore {
  readonly #receipts: ReceiptStore;
  readonly #users: UserStore;
  readonly #ledger: LedgerStore;
  readonly #digests: DigestStore;
  readonly #history: HistoryStore;
  readonly #deletion: DynamoUserDeletion;
  readonly #account: AccountStore;

  constructor(options: DynamoStoreOptions) {
    const table = new DynamoTable(options.client, options.tableName, options.clock);
    this.#receipts = new DynamoReceiptStore(table);
    this.#users = new DynamoUserStore(table);
    this.#ledger = new DynamoLedgerStore(table, this.#receipts);
    this.#digests = new DynamoDigestStore(table);
    this.#history = new DynamoHistoryStore(table);
    this.#deletion = new DynamoUserDeletion(table);
    this.#account = new DynamoAccountStore(table);
  }

  // ── receipts ──────────────────────────────────────────────────────────────

  beginReceipt(envelope: InboundEnvelope) {
    return this.#receipts.beginReceipt(envelope);
  }
  finishReceipt(receipt: ReceiptRef, outcome: Outcome, summary: ReceiptSummary) {
    return this.#receipts.finishReceipt(receipt, outcome, summary);
  }
  failReceipt(receipt: ReceiptRef, failure: string) {
    return this.#receipts.failReceipt(receipt, failure);
  }
  listRejections(options: { days: number; limit: number }) {
    return this.#receipts.listRejections(options);
  }
  listFailedReceipts(limit: number) {
    return this.#receipts.listFailedReceipts(limit);
  }
  getReceipt(receiptId: string) {
    return this.#receipts.getReceipt(receiptId);
  }
  parkReply(answers: string[], receipt: ReceiptRef) {
    return this.#receipts.parkReply(answers, receipt);
  }
  parkedReplies(messageId: string) {
    return this.#receipts.parkedReplies(messageId);
  }
  unparkReply(messageId: string, receiptId: string) {
    return this.#receipts.unparkReply(messageId, receiptId);
  }

  // ── users ─────────────────────────────────────────────────────────────────

  addUser(user: User) {
    return this.#users.addUser(user);
  }
  findUserByAddress(address: string) {
    return this.#users.findUserByAddress(address);
  }
  getUser(userId: string) {
    return this.#users.getUser(userId);
  }
  listUsers() {
    return this.#users.listUsers();
  }
  deleteUser(user: User, options?: DeleteUserOptions) {
    return this.#deletion.deleteUser(user, options);
  }

  // ── forgetting a contact ──────────────────────────────────────────────────

  removeMessage(userId: string, messageKey: string) {
    return this.#account.removeMessage(userId, messageKey);
  }
  replaceMessage(message: LoggedMessage) {
    return this.#account.replaceMessage(message);
  }
  removeSteers(userId: string, steerKeys: string[]) {
    return this.#account.removeSteers(userId, steerKeys);
  }
  replaceDigestItems(userId: string, localDate: string, items: DigestItemRef[]) {
    return this.#account.replaceDigestItems(userId, localDate, items);
  }
  removeLetGoShown(userId: string, shown: string[]) {
    return this.#account.removeLetGoShown(userId, shown);
  }
  removeReceipt(receiptId: string, rawMail: Pick<RawMailStore, 'remove'>) {
    return this.#account.removeReceipt(receiptId, rawMail);
  }

  // ── the ledger ────────────────────────────────────────────────────────────

  saveLoggedMessage(message: LoggedMessage) {
    return this.#ledger.saveLoggedMessage(message);
  }
  listMessages(userId: string) {
    return this.#ledger.listMessages(userId);
  }
  listThreadMessages(userId: string) {
    return this.#ledger.listThreadMessages(userId);
  }
  ownersOfMessages(messageIds: string[]) {
    return this.#ledger.ownersOfMessages(messageIds);
  }
  recipientsOfSentMessages(userId: string, messageIds: string[]) {
    return this.#ledger.recipientsOfSentMessages(userId, messageIds);
  }

  // ── the history checkpoint ────────────────────────────────────────────────

  getCheckpoint(userId: string) {
    return this.#history.getCheckpoint(userId);
  }
  checkpointBuiltAt(userId: string) {
    return this.#history.checkpointBuiltAt(userId);
  }
  getColdContacts(userId: string, addresses: string[] | 'everyone') {
    return this.#history.getColdContacts(userId, addresses);
  }
  forgetColdContact(userId: string, address: string) {
    return this.#history.forgetColdContact(userId, address);
  }
  getSettledIds(userId: string, shards: number[]) {
    return this.#history.getSettledIds(userId, shards);
  }
  putCheckpoint(
    userId: string,
    checkpoint: HistoryCheckpoint,
    options?: Parameters<HistoryStore['putCheckpoint']>[2],
  ) {
    return this.#history.putCheckpoint(userId, checkpoint, options);
  }
  listThreadMessagesLoggedSince(userId: string, since: string) {
    return this.#history.listThreadMessagesLoggedSince(userId, since);
  }
  settleMessages(userId: string, messages: { messageKey: string; expiresAt: Date }[]) {
    return this.#history.settleMessages(userId, messages);
  }

  // ── digests ───────────────────────────────────────────────────────────────

  beginDigest(
    userId: string,
    record: Omit<DigestRecord, 'state' | 'finishedAt' | 'messageId' | 'failure'>,
  ) {
    return this.#digests.beginDigest(userId, record);
  }
  finishDigest(
    userId: string,
    localDate: string,
    outcome: { state: 'sent'; messageId: string } | { state: 'failed'; failure: string },
    at: Date,
  ) {
    return this.#digests.finishDigest(userId, localDate, outcome, at);
  }
  getDigest(userId: string, localDate: string) {
    return this.#digests.getDigest(userId, localDate);
  }
  scheduleDigest(userId: string, next: { slot: string; at: Date; localDate: string }) {
    return this.#digests.scheduleDigest(userId, next);
  }
  pauseDigests(userId: string, at: Date, reason: StopReason) {
    return this.#digests.pauseDigests(userId, at, reason);
  }
  resumeDigests(userId: string, next: { slot: string; at: Date; localDate: string }) {
    return this.#digests.resumeDigests(userId, next);
  }
  countSoftBounce(userId: string, notificationId: string) {
    return this.#digests.countSoftBounce(userId, notificationId);
  }
  clearSoftBounces(userId: string) {
    return this.#digests.clearSoftBounces(userId);
  }
  usersDueInSlot(slot: string) {
    return this.#digests.usersDueInSlot(slot);
  }
  usersDueBetween(after: string | null, upTo: string) {
    return this.#digests.usersDueBetween(after, upTo);
  }
  schedulerCursor() {
    return this.#digests.schedulerCursor();
  }
  setSchedulerCursor(slot: string) {
    return this.#digests.setSchedulerCursor(slot);
  }
  letGoShown(userId: string) {
    return this.#digests.letGoShown(userId);
  }
  addLetGoShown(userId: string, shown: string[]) {
    return this.#digests.addLetGoShown(userId, shown);
  }
}
