#!/usr/bin/env python3
"""A stand-in for AWS's Price List API (AWSPriceListService.GetProducts, JSON 1.1) on loopback, for
the `ncaas cost` test that cannot reach AWS: it answers EC2 products for the instance types given as
`--price TYPE=DOLLARS`, in AWS's document shape (product attributes, OnDemand terms), and nothing for
others. Each request's Authorization credential scope is logged on stderr (the caller signs for
`pricing` in us-east-1). Prints {"port": N} once listening; exits when stdin closes.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def product(instance_type, region, price):
    return {
        "product": {"productFamily": "Compute Instance", "sku": "SKU" + instance_type.upper().replace(".", ""),
                    "attributes": {"instanceType": instance_type, "regionCode": region, "operatingSystem": "Linux",
                                   "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used"}},
        "serviceCode": "AmazonEC2",
        "terms": {"OnDemand": {"SKU.JRTCKXETXF": {"priceDimensions": {"SKU.JRTCKXETXF.6YS6EN2CT7": {
            "unit": "Hrs", "pricePerUnit": {"USD": f"{price:.10f}"}, "description": f"${price} per On Demand Linux {instance_type} Instance Hour"}}}}},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        authorization = self.headers.get("Authorization", "")
        scope = authorization.split("Credential=", 1)[-1].split(",", 1)[0].split("/", 1)[-1] if "Credential=" in authorization else "unsigned"
        sys.stderr.write(f"pricing_server: {self.headers.get('X-Amz-Target')} signed for {scope}\n")
        sys.stderr.flush()
        filters = {item["Field"]: item["Value"] for item in body.get("Filters", [])}
        prices = self.server.prices
        found = []
        if self.headers.get("X-Amz-Target") == "AWSPriceListService.GetProducts" and filters.get("instanceType") in prices:
            found = [json.dumps(product(filters["instanceType"], filters.get("regionCode", ""), prices[filters["instanceType"]]))]
        data = json.dumps({"FormatVersion": "aws_v1", "PriceList": found}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--price", action="append", default=[], help="TYPE=DOLLARS")
    arguments = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.prices = {item.split("=", 1)[0]: float(item.split("=", 1)[1]) for item in arguments.price}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(json.dumps({"port": server.server_port}) + "\n")
    sys.stdout.flush()
    sys.stdin.read()


if __name__ == "__main__":
    main()
