// JQ module.
