"""Two confluent-kafka (librdkafka) consumers with partition.assignment.strategy=cooperative-sticky,
driven by cooperative-sticky.test.ts. Prints one JSON object: each consumer's rebalance events and
final assignment, and whether a synchronous commit made inside the revoke callback (mid-rebalance)
succeeded.

KIP-429: when the second consumer joins, the first gives up only the partitions that move (an
incremental revoke), keeps the others throughout, and a second rebalance hands the freed ones over.
"""
import argparse
import json
import time

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

PARTITIONS = 4


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    args = parser.parse_args()

    admin = AdminClient({"bootstrap.servers": args.bootstrap})
    admin.create_topics([NewTopic(args.topic, PARTITIONS, 1)])[args.topic].result(10)
    producer = Producer({"bootstrap.servers": args.bootstrap})
    for i in range(100):
        producer.produce(args.topic, value=b"v%d" % i, partition=i % PARTITIONS)
    producer.flush(10)

    events = {"c1": [], "c2": []}
    commits = []
    consumers = {}

    def make(name):
        def on_assign(consumer, partitions):
            events[name].append(["assign", sorted(p.partition for p in partitions)])

        def on_revoke(consumer, partitions):
            events[name].append(["revoke", sorted(p.partition for p in partitions)])
            if partitions:
                try:
                    consumer.commit(asynchronous=False)
                    commits.append("ok")
                except KafkaException as error:
                    commits.append(str(error))

        consumer = Consumer(
            {
                "bootstrap.servers": args.bootstrap,
                "group.id": "cooperative-" + args.topic,
                "partition.assignment.strategy": "cooperative-sticky",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "session.timeout.ms": 10000,
                "heartbeat.interval.ms": 500,
            }
        )
        consumer.subscribe([args.topic], on_assign=on_assign, on_revoke=on_revoke)
        consumers[name] = consumer
        return consumer

    def poll_until(condition, deadline_s=60):
        deadline = time.time() + deadline_s
        while not condition():
            if time.time() > deadline:
                raise SystemExit("timed out: " + json.dumps(events))
            for consumer in consumers.values():
                consumer.poll(0.1)

    c1 = make("c1")
    poll_until(lambda: len(c1.assignment()) == PARTITIONS)
    # Let c1 consume something, so the commit in its revoke callback has offsets to write.
    poll_until(lambda: any(p.offset > 0 for p in c1.position(c1.assignment())))
    c2 = make("c2")
    poll_until(lambda: len(c1.assignment()) == 2 and len(c2.assignment()) == 2)

    # Copied before closing: close revokes everything, which is not what is checked here.
    result = {
        "events": json.loads(json.dumps(events)),
        "commits": list(commits),
        "final": {
            "c1": sorted(p.partition for p in c1.assignment()),
            "c2": sorted(p.partition for p in c2.assignment()),
        },
    }
    for consumer in consumers.values():
        consumer.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
