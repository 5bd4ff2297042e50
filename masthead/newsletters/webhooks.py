"""Provider tracking webhooks (anymail) → DeliveryEvent / Suppression. Filled in below."""
