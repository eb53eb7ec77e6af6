CREATE INDEX segment_change_at IF NOT EXISTS FOR (n:SegmentChange) ON (n.at)
