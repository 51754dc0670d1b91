"""kafka-python (Debian's python3-kafka) as a client of the broker, driven by kafka-python.test.ts.

produce: creates the topic with 3 partitions and sends the records with acks=all.
consume: one group member; prints "partition offset value" per record it processed and commits
exactly those, stopping after --count records or after --idle seconds without any.
"""
import argparse
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.structs import OffsetAndMetadata


def produce(args):
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap, client_id="venice-test")
    admin.create_topics([NewTopic(name=args.topic, num_partitions=3, replication_factor=1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=args.bootstrap, acks="all", linger_ms=5)
    for i in range(args.count):
        producer.send(args.topic, key=("user-%d" % (i % 89)).encode(), value=("view-%d" % i).encode())
    producer.flush()
    producer.close()


def consume(args):
    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=10000,
        heartbeat_interval_ms=500,
    )
    processed = 0
    last_record = time.time()
    while processed < args.count and time.time() - last_record < args.idle:
        batches = consumer.poll(timeout_ms=200, max_records=500)
        to_commit = {}
        for tp, records in batches.items():
            for record in records:
                if processed >= args.count:
                    break
                print("%d %d %s" % (tp.partition, record.offset, record.value.decode()))
                to_commit[TopicPartition(tp.topic, tp.partition)] = OffsetAndMetadata(record.offset + 1, None)
                processed += 1
        if to_commit:
            last_record = time.time()
            consumer.commit(to_commit)
            sys.stdout.flush()
    consumer.close(autocommit=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", default="venice-test")
    parser.add_argument("--count", type=int, default=10**9)
    parser.add_argument("--idle", type=float, default=3600.0)
    args = parser.parse_args()
    produce(args) if args.mode == "produce" else consume(args)


main()
