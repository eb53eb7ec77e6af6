CREATE CONSTRAINT webhook_endpoint_id IF NOT EXISTS FOR (n:WebhookEndpoint) REQUIRE n.id IS UNIQUE
