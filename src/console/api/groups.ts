// /api/groups: consumer groups with their state, members, assignments and lag (per partition, per
// topic and in total); reset a group's offsets on a topic while it is inactive; delete a group.
import type { FastifyPluginAsync } from 'fastify';
import type { ResetTarget } from '../../client/index.js';
import { groupView } from '../../views/groups.js';
import { ApiError, badRequest } from '../errors.js';
import type { ApiContext } from './context.js';
import { bodyObject, optionalBigInt, optionalTimestamp, requiredString } from './params.js';

/** A group with members cannot have its offsets moved: they would overwrite them with their next commit. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

function resetTarget(body: Record<string, unknown>): ResetTarget {
  const to = requiredString(body.to, 'to');
  switch (to) {
    case 'earliest':
    case 'latest':
      return { kind: to };
    case 'timestamp': {
      const timestamp = optionalTimestamp(body.timestamp, 'timestamp');
      if (timestamp === undefined)
        throw badRequest('to "timestamp" needs a timestamp (ms since the epoch or ISO date)');
      return { kind: 'timestamp', timestamp };
    }
    case 'offset': {
      const offset = optionalBigInt(body.offset, 'offset');
      if (offset === undefined) throw badRequest('to "offset" needs an offset');
      return { kind: 'offset', offset };
    }
    default:
      throw badRequest(`to must be earliest, latest, timestamp or offset, got ${JSON.stringify(to)}`);
  }
}

export const groupRoutes: FastifyPluginAsync<ApiContext> = async (app, { kafka }) => {
  app.get('/api/groups', async () => {
    const groups = await kafka.groups.list();
    const described = await Promise.allSettled(groups.map((group) => kafka.groups.describe(group.id)));
    const rows = [];
    for (const result of described) {
      if (result.status !== 'fulfilled') continue;
      const view = groupView(result.value);
      rows.push({
        id: view.id,
        state: view.state,
        protocolType: view.protocolType,
        members: view.members.length,
        topics: view.lagByTopic.map((entry) => entry.topic),
        totalLag: view.totalLag,
      });
    }
    return { groups: rows.sort((a, b) => a.id.localeCompare(b.id)) };
  });

  app.get<{ Params: { id: string } }>('/api/groups/:id', async (request) => {
    const view = groupView(await kafka.groups.describe(request.params.id));
    return { ...view, inactive: INACTIVE_STATES.has(view.state) };
  });

  app.post<{ Params: { id: string } }>('/api/groups/:id/reset', async (request) => {
    const body = bodyObject(request.body);
    const group = request.params.id;
    const topic = requiredString(body.topic, 'topic');
    const execute = body.execute !== false;
    const described = await kafka.groups.describe(group);
    if (execute && !INACTIVE_STATES.has(described.state))
      throw new ApiError(
        409,
        `group ${group} is ${described.state} with ${described.members.length} member(s): its offsets can only be reset while it is inactive`,
        'stop its consumers first, then reset (or send "execute": false for a dry run)',
      );
    return kafka.groups.resetOffsets({ group, topic, to: resetTarget(body), execute });
  });

  app.delete<{ Params: { id: string } }>('/api/groups/:id', async (request) => {
    await kafka.groups.delete([request.params.id]);
    return { deleted: request.params.id };
  });
};
