//! The database administrator's checks (R-13.1, Art. 13: 数据库管理员要定期对数据库运行状态及警告日志进行检查,将状态
//! 信息、错误原因、解决办法进行存档): the database's state collected as snapshots (daily, once across the servers sharing
//! the database, and on demand), each with a state the platform derives from its figures; and the administrator's
//! archive of checks with their state, warnings, error cause and solution, append-only and audited.

pub mod collect;
pub mod probe;
pub mod routes;
pub mod rules;
pub mod store;
