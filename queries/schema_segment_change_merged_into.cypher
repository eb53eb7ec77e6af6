CREATE INDEX segment_change_merged_into IF NOT EXISTS FOR (n:SegmentChange) ON (n.merged_into)
