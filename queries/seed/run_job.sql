-- seed aftercare: run one job now, in this session (the tsl engine has no background workers).
CALL run_job(%(job_id)s::integer)
