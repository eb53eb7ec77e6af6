// Keep the person's touchpoints for aggregates (channel, type, time, amounts) but nothing that
// leads back to them: new random key, no source id, raw row, subject or page.
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})-[:HAD_TOUCHPOINT]->(t:Touchpoint)
WHERE NOT EXISTS { (t)<-[:HAD_TOUCHPOINT]-(o:Customer) WHERE NOT o.uid IN $uids }
WITH DISTINCT t
SET t = {uid: 'anonymized:' + randomUUID(), source: t.source, channel: t.channel, type: t.type, at: t.at,
         amount: t.amount, currency: t.currency, items: t.items, campaign: t.campaign, anonymized_at: $now}
RETURN count(*) AS touchpoints
