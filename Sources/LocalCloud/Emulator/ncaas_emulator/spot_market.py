"""The local cloud's spot market: prices for DescribeSpotPriceHistory (moto answers 0.00001 dated
2006) and a capacity switch for spot launches.

The prices are this endpoint's own market, fixed: a few common types at about a third of their
on-demand price, a little higher in each further availability zone, dated now. A type not listed has
no spot history here, as a type EC2 does not offer on spot has none. With the capacity switched off
(`POST /_ncaas/spot-capacity?available=false`), a RunInstances asking for spot is refused with EC2's
InsufficientInstanceCapacity (HTTP 500, as EC2 sends it) until it is switched on again; on-demand
launches are not affected. An availability zone can run out of capacity for every launch, on-demand
too (`POST /_ncaas/capacity?zone=us-east-1a&available=false`): a RunInstances placed there (by its
subnet, its Placement, or EC2's default of the region's first zone) is refused the same way, as EC2
refuses a zone that has no more of a type just now.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

PRICES = {
    "t2.micro": 0.0035, "t2.small": 0.0069, "t2.medium": 0.0139, "t2.large": 0.0278,
    "t3.nano": 0.0016, "t3.micro": 0.0032, "t3.small": 0.0063, "t3.medium": 0.0126, "t3.large": 0.0251, "t3.xlarge": 0.0502,
    "m5.large": 0.0361, "m5.xlarge": 0.0722, "m5.2xlarge": 0.1444, "c5.large": 0.0324, "c5.xlarge": 0.0648,
    "r5.large": 0.0412, "p3.2xlarge": 0.918, "g4dn.xlarge": 0.2104,
}


class SpotMarket:
    def __init__(self) -> None:
        self.capacity = True
        self.zones_without_capacity: set[str] = set()

    def history(self, offerings: list[dict[str, Any]]) -> list[dict[str, str]]:
        """One current price per offered (type, zone) the market knows."""
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        zones = sorted({offering["Location"] for offering in offerings})
        history = []
        for offering in offerings:
            price = PRICES.get(offering["InstanceType"])
            if price is None:
                continue
            bump = 1 + 0.02 * zones.index(offering["Location"])
            history.append({"InstanceType": offering["InstanceType"], "ProductDescription": "Linux/UNIX",
                            "SpotPrice": f"{price * bump:.6f}", "AvailabilityZone": offering["Location"], "Timestamp": now})
        return history


def install(market: SpotMarket) -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.responses.instances import InstanceResponse
    from moto.ec2.responses.spot_instances import SpotInstances

    def describe_spot_price_history(self: Any) -> Any:
        offerings = self.ec2_backend.describe_spot_price_history(self._get_param("InstanceTypes", []), self._filters_from_querystring())
        return ActionResult({"SpotPriceHistory": market.history(offerings)})

    SpotInstances.describe_spot_price_history = describe_spot_price_history

    original_run = InstanceResponse.run_instances

    def refuse(message: str, response: Any) -> Any:
        _, headers, body = response.serialized(ActionResult(EC2ClientError("InsufficientInstanceCapacity", message)))
        return body, {**headers, "status": 500}

    def zone_of(response: Any) -> str:
        subnet_id = response._get_param("SubnetId")
        if subnet_id:
            try:
                return str(response.ec2_backend.get_subnet(subnet_id).availability_zone)
            except Exception:  # moto refuses an unknown subnet itself, with EC2's error
                return ""
        return str(response._get_param("Placement.AvailabilityZone") or response.ec2_backend.region_name + "a")

    def run_instances(self: Any) -> Any:
        if not market.capacity and self._get_param("InstanceMarketOptions.MarketType") == "spot":
            return refuse("There is no Spot capacity available that matches your request.", self)
        zone = zone_of(self) if market.zones_without_capacity else ""
        if zone in market.zones_without_capacity:
            kind = self._get_param("InstanceType")
            return refuse(f"We currently do not have sufficient {kind} capacity in the Availability Zone you requested ({zone}). "
                          "Our system will be working on provisioning additional capacity. You can currently get "
                          f"{kind} capacity by not specifying an Availability Zone in your request or choosing a different one.", self)
        return original_run(self)

    InstanceResponse.run_instances = run_instances
