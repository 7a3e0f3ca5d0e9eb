//! `/workbench/backups/runbook`: restoring the platform after losing the server, step by step, as text.

use crate::components::RequireRole;
use credit_types::identity::Role;
use leptos::prelude::*;

#[component]
pub fn BackupRunbook() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DbAdmin, Role::SecurityAuditor]>
            <section class="panel" data-testid="backup-runbook">
                <h1>"恢复手册:服务器损毁后恢复平台"</h1>
                <h2>"需要准备"</h2>
                <ul>
                    <li>"最近一份“已验证”的备份文件(见“数据备份”列表,或在原备份目录中按时间查找)。"</li>
                    <li>"备份私钥文件(age 私钥,AGE-SECRET-KEY-1…),从离线保存的副本取得;没有它任何备份都无法恢复。"</li>
                    <li>
                        "与备份分开保存的应用密钥文件:审计密钥 audit.key、审计锚点 audit-anchors.log、联系键密钥 contact.key、"
                        "令牌密钥 token.key。它们不在数据库备份中,须从应用服务器文件的备份中取回。"
                    </li>
                </ul>
                <h2>"恢复步骤"</h2>
                <ol>
                    <li>"在新服务器上安装平台(docker compose 或发布的 credit-api 程序),先不要启动。"</li>
                    <li>
                        "把 audit.key、audit-anchors.log、contact.key、token.key 放回配置所指位置(默认数据目录),"
                        "权限 0600,属主为运行平台的账号。审计密钥必不可少:恢复后的审计链要用它验证,平台也拒绝用其他密钥启动;"
                        "令牌密钥丢失只会使所有人重新登录;联系键密钥丢失时启动会重新生成。"
                    </li>
                    <li>
                        "准备一个空数据库:SQLite 只需指定一个尚不存在的文件(如 sqlite:///var/lib/credit/credit.db);"
                        "PostgreSQL 由超级用户执行 createdb -O credit credit。"
                    </li>
                    <li>
                        "执行恢复:credit-api backup restore <备份文件> --identity <私钥文件> --database-url <数据库地址> "
                        "--data-dir <数据目录>。目标数据库只要有任何表,命令即拒绝并以非零状态退出,不做任何改动;"
                        "恢复后命令会验证审计链并打印结果,还会说明有多少个审计锚点晚于该备份(即备份之后发生的变更已丢失)。"
                    </li>
                    <li>"启动平台(credit-api serve …):它会执行较新的数据库迁移,并锚定审计链头。"</li>
                    <li>"如备份目录或密钥有变,重新设置备份计划;立即备份一次,确认其状态为“已验证”。"</li>
                </ol>
                <p class="muted">
                    "PostgreSQL 的备份与恢复使用 pg_dump、pg_restore(Debian 的 postgresql-client),其主版本不得低于数据库服务器;"
                    "可用 CREDIT_PG_DUMP、CREDIT_PG_RESTORE 指定程序位置。"
                </p>
            </section>
        </RequireRole>
    }
}
