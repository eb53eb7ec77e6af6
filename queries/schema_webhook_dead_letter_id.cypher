CREATE CONSTRAINT webhook_dead_letter_id IF NOT EXISTS FOR (n:WebhookDeadLetter) REQUIRE n.id IS UNIQUE
