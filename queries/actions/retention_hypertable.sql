-- The hypertable whose chunks a retention policy on a relation drops: the relation itself, or a continuous
-- aggregate's materialization hypertable.
SELECT coalesce(
    (SELECT format('%%I.%%I', materialization_hypertable_schema, materialization_hypertable_name)
     FROM timescaledb_information.continuous_aggregates
     WHERE format('%%I.%%I', view_schema, view_name) = %(relation)s),
    %(relation)s)
