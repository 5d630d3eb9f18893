"""Merchant feed parsers: Google Merchant XML/TSV, Shopify JSON/CSV, WooCommerce CSV -> records."""
