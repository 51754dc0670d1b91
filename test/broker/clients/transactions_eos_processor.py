"""An exactly-once consume-transform-produce processor with librdkafka (python3-confluent-kafka), for
transactions-eos-crash.test.ts, which kills the broker under it.

Modes:
  fill     create --input and --output (--partitions each), then produce --count records "<id>" (ids 0..count-1) to --input, round robin over its partitions
  process  read --input with read_committed, write "out-<id>" to --output (same partition) and the
           consumer's positions in one transaction per batch, until --count records are committed;
           prints {"committing": n} before and {"committed": n} after each commit so the test can
           time its kills. With --chaos it also aborts some transactions itself, and abandons some
           (a new producer instance takes over without ending them, as after a crash of the processor)
  verify   read --output with read_committed (or --isolation read_uncommitted) to its end and print
           what was seen: the number of records, the ids missing and the ids seen more than once

The processor follows the pattern Kafka documents for exactly-once: on an error it aborts (or, when
it cannot, starts a new producer, whose init_transactions fences the old one and completes or aborts
what it left) and then rewinds the consumer to the offsets committed so far. It keeps trying while
the broker is down.
"""
import argparse
import json
import random
import sys
import time

from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

OP_TIMEOUT_S = 10
# The broker is killed under the processor: reconnect quickly instead of librdkafka's backoff up to 10 s.
RECONNECT = {"reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 500}


def emit(value):
    print(json.dumps(value), flush=True)


def partitions_of(args, consumer, topic):
    metadata = consumer.list_topics(topic, timeout=OP_TIMEOUT_S)
    return sorted(metadata.topics[topic].partitions.keys())


def fill(args):
    admin = AdminClient({"bootstrap.servers": args.bootstrap})
    created = admin.create_topics([NewTopic(t, args.partitions, 1) for t in (args.input, args.output)])
    for future in created.values():
        future.result(OP_TIMEOUT_S)
    p = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 20, "enable.idempotence": True})
    probe = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "fill-probe"})
    partitions = partitions_of(args, probe, args.input)
    probe.close()
    for i in range(args.count):
        while True:
            try:
                p.produce(args.input, key=str(i).encode(), value=str(i).encode(),
                          partition=partitions[i % len(partitions)])
                break
            except BufferError:
                p.poll(0.1)
    remaining = p.flush(60)
    if remaining:
        raise RuntimeError(f"{remaining} records not delivered")
    return {"filled": args.count}


def new_producer(args):
    """A transactional producer, initialised: retried until the broker answers."""
    while True:
        p = Producer(
            {
                "bootstrap.servers": args.bootstrap,
                "transactional.id": args.transactional_id,
                "transaction.timeout.ms": 10000,
                "message.timeout.ms": 10000,
                "linger.ms": 5,
                **RECONNECT,
            }
        )
        try:
            p.init_transactions(OP_TIMEOUT_S)
            return p
        except KafkaException as exception:
            print(f"init_transactions: {exception}", file=sys.stderr, flush=True)
            p.purge()
            time.sleep(0.2)


def rewind(consumer, partitions, topic):
    """Seeks the consumer back to the committed offsets (those of the last committed transaction) and
    returns them: the next offset to process of each partition. (The processor keeps these itself:
    librdkafka's position() has no value for a partition with nothing consumed since the seek.)"""
    while True:
        try:
            committed = consumer.committed([TopicPartition(topic, p) for p in partitions], OP_TIMEOUT_S)
            positions = {c.partition: max(c.offset, 0) for c in committed}
            consumer.assign([TopicPartition(topic, q, offset) for q, offset in positions.items()])
            return positions
        except KafkaException as exception:
            print(f"committed: {exception}", file=sys.stderr, flush=True)
            time.sleep(0.2)


def process(args):
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap,
            "group.id": args.group,
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            **RECONNECT,
        }
    )
    partitions = partitions_of(args, consumer, args.input)
    p = new_producer(args)
    positions = rewind(consumer, partitions, args.input)
    stats = {"transactions": 0, "aborted": 0, "new_producers": 0, "chosen_aborts": 0, "abandoned": 0}
    rng = random.Random(args.seed)
    while sum(positions.values()) < args.count:
        messages = consumer.consume(num_messages=rng.randint(100, 2000), timeout=0.5)
        records = [m for m in messages if not m.error()]
        for m in messages:
            if m.error() and m.error().fatal():
                raise KafkaException(m.error())
        if not records:
            continue
        try:
            p.begin_transaction()
            for m in records:
                while True:
                    try:
                        p.produce(args.output, key=m.key(), value=b"out-" + m.value(), partition=m.partition())
                        break
                    except BufferError:
                        p.poll(0.05)
            consumed = dict(positions)
            for m in records:
                consumed[m.partition()] = m.offset() + 1
            offsets = [TopicPartition(args.input, q, offset) for q, offset in consumed.items()]
            p.send_offsets_to_transaction(offsets, consumer.consumer_group_metadata(), OP_TIMEOUT_S)
            chance = rng.random() if args.chaos else 1
            if chance < 0.05:
                p.abort_transaction(OP_TIMEOUT_S)
                stats["chosen_aborts"] += 1
                positions = rewind(consumer, partitions, args.input)
                continue
            if chance < 0.08:
                p.flush(OP_TIMEOUT_S)
                p = new_producer(args)
                stats["abandoned"] += 1
                positions = rewind(consumer, partitions, args.input)
                continue
            emit({"committing": sum(positions.values())})
            p.commit_transaction(OP_TIMEOUT_S)
        except KafkaException as exception:
            error = exception.args[0]
            print(f"transaction failed: {error}", file=sys.stderr, flush=True)
            try:
                if error.fatal():
                    raise exception
                p.abort_transaction(OP_TIMEOUT_S)
                stats["aborted"] += 1
            except KafkaException:
                # The outcome is unknown or the producer is unusable: a new instance settles it.
                p.purge()
                p = new_producer(args)
                stats["new_producers"] += 1
            positions = rewind(consumer, partitions, args.input)
            continue
        stats["transactions"] += 1
        positions = consumed
        emit({"committed": sum(positions.values())})
    consumer.close()
    return {"done": sum(positions.values()), **stats}


def verify(args):
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap,
            "group.id": "eos-verify",
            "isolation.level": args.isolation,
            "enable.auto.commit": False,
            "enable.partition.eof": True,
        }
    )
    partitions = partitions_of(args, consumer, args.output)
    consumer.assign([TopicPartition(args.output, q, 0) for q in partitions])
    seen = {}
    at_end = set()
    records = 0
    deadline = time.monotonic() + 30
    while len(at_end) < len(partitions):
        if time.monotonic() > deadline:
            raise RuntimeError(f"partitions {sorted(at_end)} of {partitions} read to the end within 30 s")
        messages = consumer.consume(num_messages=10000, timeout=0.2)
        for m in messages:
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(m.partition())
                    continue
                raise KafkaException(m.error())
            records += 1
            key = int(m.key())
            if m.value() != b"out-" + m.key():
                raise RuntimeError(f"record {key} has the value {m.value()!r}")
            seen[key] = seen.get(key, 0) + 1
    consumer.close()
    missing = [i for i in range(args.count) if i not in seen]
    duplicated = [i for i, times in seen.items() if times > 1]
    return {"records": records, "missing": missing[:20], "missingCount": len(missing),
            "duplicated": duplicated[:20], "duplicatedCount": len(duplicated)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fill", "process", "verify"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--input", default="eos-input")
    parser.add_argument("--output", default="eos-output")
    parser.add_argument("--group", default="eos-processor")
    parser.add_argument("--transactional-id", default="eos-processor")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--isolation", default="read_committed")
    parser.add_argument("--chaos", action="store_true")
    args = parser.parse_args()
    emit({"fill": fill, "process": process, "verify": verify}[args.mode](args))


if __name__ == "__main__":
    main()
