// The status of each command (CREATE, DROP, TERMINATE, ...) this server has run, for GET /status. The
// engine answers every statement once it has run, so a status is known as soon as /ksql answers.
import type { CommandStatus, KsqlEntity } from '../engine/entities.js';

export class CommandStatuses {
  readonly #statuses = new Map<string, CommandStatus>();

  record(entities: readonly KsqlEntity[]): void {
    for (const entity of entities)
      if (entity['@type'] === 'currentStatus') this.#statuses.set(entity.commandId, entity.commandStatus);
  }

  get(commandId: string): CommandStatus | undefined {
    return this.#statuses.get(commandId);
  }

  /** ksqlDB's {"commandStatuses": {id: status}}. */
  all(): { commandStatuses: Record<string, CommandStatus['status']> } {
    return {
      commandStatuses: Object.fromEntries([...this.#statuses].map(([id, status]) => [id, status.status])),
    };
  }
}
