UNWIND $rules AS r
RETURN r.channel AS channel,
       COUNT { MATCH (t:Touchpoint {channel: r.channel}) WHERE t.at < r.cutoff } AS touchpoints
