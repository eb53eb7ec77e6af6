CREATE INDEX segment_change_pid IF NOT EXISTS FOR (n:SegmentChange) ON (n.pid)
