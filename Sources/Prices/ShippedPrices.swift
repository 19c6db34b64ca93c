/// The price table shipped with ncaas, in the JSON shape `ncaas cost --prices FILE` reads (see
/// docs/cost.md). It is compiled in, not a resource file: the in-stack job manager is one ncaas
/// binary with nothing beside it, and its budget checks read this table.
enum ShippedPrices {
    static let json = #"""
{
  "date": "2024-12-01",
  "region": "us-east-1",
  "currency": "USD",
  "source": "on-demand: AWS's published Linux prices for shared tenancy in us-east-1; spot: typical us-east-1 spot prices of that month (they move daily: jobs ask EC2 for the current one)",
  "instances": {
    "t2.micro": {"on-demand": 0.0116, "spot": 0.0035},
    "t2.small": {"on-demand": 0.023, "spot": 0.0069},
    "t2.medium": {"on-demand": 0.0464, "spot": 0.0139},
    "t2.large": {"on-demand": 0.0928, "spot": 0.0278},
    "t3.nano": {"on-demand": 0.0052, "spot": 0.0016},
    "t3.micro": {"on-demand": 0.0104, "spot": 0.0031},
    "t3.small": {"on-demand": 0.0208, "spot": 0.0062},
    "t3.medium": {"on-demand": 0.0416, "spot": 0.0125},
    "t3.large": {"on-demand": 0.0832, "spot": 0.025},
    "t3.xlarge": {"on-demand": 0.1664, "spot": 0.0499},
    "t3.2xlarge": {"on-demand": 0.3328, "spot": 0.0998},
    "m5.large": {"on-demand": 0.096, "spot": 0.0353},
    "m5.xlarge": {"on-demand": 0.192, "spot": 0.0706},
    "m5.2xlarge": {"on-demand": 0.384, "spot": 0.1412},
    "m5.4xlarge": {"on-demand": 0.768, "spot": 0.2824},
    "m6i.large": {"on-demand": 0.096, "spot": 0.0366},
    "m6i.xlarge": {"on-demand": 0.192, "spot": 0.0732},
    "c5.large": {"on-demand": 0.085, "spot": 0.0318},
    "c5.xlarge": {"on-demand": 0.17, "spot": 0.0636},
    "c5.2xlarge": {"on-demand": 0.34, "spot": 0.1272},
    "c5.4xlarge": {"on-demand": 0.68, "spot": 0.2544},
    "c6i.large": {"on-demand": 0.085, "spot": 0.0331},
    "r5.large": {"on-demand": 0.126, "spot": 0.0405},
    "r5.xlarge": {"on-demand": 0.252, "spot": 0.081},
    "p2.xlarge": {"on-demand": 0.9, "spot": 0.27},
    "p3.2xlarge": {"on-demand": 3.06, "spot": 0.918},
    "g4dn.xlarge": {"on-demand": 0.526, "spot": 0.2104},
    "g4dn.2xlarge": {"on-demand": 0.752, "spot": 0.3008},
    "g5.xlarge": {"on-demand": 1.006, "spot": 0.4024}
  },
  "storage": {
    "ebs-snapshot": 0.05,
    "s3-standard": 0.023
  }
}
"""#
}
