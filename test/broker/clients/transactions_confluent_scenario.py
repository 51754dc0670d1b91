"""Kafka transactions with librdkafka (Debian's python3-confluent-kafka) against a Venice broker.

Each scenario prints one JSON object on stdout; the test (transactions-confluent.test.ts) checks it.
Scenarios:
  init           init_transactions only (to see what the broker answers)
  offsets-only   init, begin, send_offsets_to_transaction, commit (no records: coordinator only)
  commit         init, begin, produce --count records, send_offsets_to_transaction, commit
  abort          init, begin, produce --count records, abort
  group-member   a consumer in --group (subscribed, assigned) commits its position through the
                 transaction (KIP-447: the commit names the consumer's generation and member id)
  leave-open     init, begin, send_offsets_to_transaction, then exit without ending the transaction
  produce-leave-open  the same with --count records produced first
  fenced         two producers with one transactional.id: the first is fenced when the second inits
  consume        the values of every record of --topic a consumer with --isolation (read_committed by
                 default, or read_uncommitted) sees
"""
import argparse
import json
import os
import sys

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

TIMEOUT_S = 30


def producer(args, transactional_id):
    return Producer(
        {
            "bootstrap.servers": args.bootstrap,
            "transactional.id": transactional_id,
            "transaction.timeout.ms": args.transaction_timeout_ms,
            "enable.idempotence": True,
        }
    )


def group_metadata(args):
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group})
    metadata = consumer.consumer_group_metadata()
    return consumer, metadata


def send_offsets(args, p):
    consumer, metadata = group_metadata(args)
    offsets = [TopicPartition(args.topic, 0, args.offset)]
    p.send_offsets_to_transaction(offsets, metadata, TIMEOUT_S)
    consumer.close()


def produce(args, p):
    for i in range(args.count):
        p.produce(args.topic, value=f"{args.prefix}-{i}".encode(), partition=0)
    remaining = p.flush(TIMEOUT_S)
    if remaining:
        raise RuntimeError(f"{remaining} records not delivered")


def error_of(exception):
    error = exception.args[0]
    return {"name": error.name(), "code": error.code(), "fatal": error.fatal(), "message": error.str()}


def run(args):
    if args.scenario == "init":
        producer(args, args.transactional_id).init_transactions(TIMEOUT_S)
        return {"ok": True}
    if args.scenario == "offsets-only":
        p = producer(args, args.transactional_id)
        p.init_transactions(TIMEOUT_S)
        p.begin_transaction()
        send_offsets(args, p)
        p.commit_transaction(TIMEOUT_S)
        return {"ok": True}
    if args.scenario == "group-member":
        consumer = Consumer(
            {
                "bootstrap.servers": args.bootstrap,
                "group.id": args.group,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            }
        )
        consumer.subscribe([args.topic])
        consumed = 0
        while consumed < args.count:
            message = consumer.poll(TIMEOUT_S)
            if message is None:
                raise RuntimeError(f"consumed {consumed} of {args.count} records within the timeout")
            if message.error():
                raise KafkaException(message.error())
            consumed += 1
        p = producer(args, args.transactional_id)
        p.init_transactions(TIMEOUT_S)
        p.begin_transaction()
        metadata = consumer.consumer_group_metadata()
        p.send_offsets_to_transaction(consumer.position(consumer.assignment()), metadata, TIMEOUT_S)
        p.commit_transaction(TIMEOUT_S)
        consumer.close()
        return {"consumed": consumed}
    if args.scenario in ("leave-open", "produce-leave-open"):
        p = producer(args, args.transactional_id)
        p.init_transactions(TIMEOUT_S)
        p.begin_transaction()
        if args.scenario == "produce-leave-open":
            produce(args, p)
        send_offsets(args, p)
        print(json.dumps({"open": True}), flush=True)
        # A crashed producer: no commit, no abort, no goodbye.
        os._exit(0)
    if args.scenario in ("commit", "abort"):
        p = producer(args, args.transactional_id)
        p.init_transactions(TIMEOUT_S)
        p.begin_transaction()
        produce(args, p)
        if args.scenario == "commit":
            send_offsets(args, p)
            p.commit_transaction(TIMEOUT_S)
        else:
            p.abort_transaction(TIMEOUT_S)
        return {"ok": True}
    if args.scenario == "fenced":
        first = producer(args, args.transactional_id)
        first.init_transactions(TIMEOUT_S)
        first.begin_transaction()
        second = producer(args, args.transactional_id)
        second.init_transactions(TIMEOUT_S)
        try:
            send_offsets(args, first)
            first.commit_transaction(TIMEOUT_S)
        except KafkaException as exception:
            failure = error_of(exception)
        else:
            failure = None
        # The new instance works normally.
        second.begin_transaction()
        send_offsets(args, second)
        second.commit_transaction(TIMEOUT_S)
        return {"first": failure, "second": "committed"}
    if args.scenario == "consume":
        consumer = Consumer(
            {
                "bootstrap.servers": args.bootstrap,
                "group.id": "isolation-check",
                "isolation.level": args.isolation,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "enable.partition.eof": True,
            }
        )
        consumer.assign([TopicPartition(args.topic, 0, 0)])
        values = []
        while True:
            message = consumer.poll(TIMEOUT_S)
            if message is None:
                raise RuntimeError("no end of partition within the timeout")
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    break
                raise KafkaException(message.error())
            values.append(message.value().decode())
        consumer.close()
        return {"values": values}
    raise ValueError(f"unknown scenario {args.scenario}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", default="txn-group")
    parser.add_argument("--transactional-id", default="py-tx")
    parser.add_argument("--transaction-timeout-ms", type=int, default=60000)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--prefix", default="record")
    parser.add_argument("--isolation", default="read_committed", choices=["read_committed", "read_uncommitted"])
    args = parser.parse_args()
    try:
        print(json.dumps(run(args)))
    except KafkaException as exception:
        print(json.dumps({"error": error_of(exception)}))
        sys.exit(2)


if __name__ == "__main__":
    main()
