<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ConditionEdit</name>
    <message>
        <source>例如：未发言天数 &gt;= 30 且 角色 == &quot;成员&quot;</source>
        <translation>e.g. inactive_days &gt;= 30 and role == &quot;成员&quot;</translation>
    </message>
    <message>
        <source>插入变量</source>
        <translation>Insert variable</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>没有条件：这条群规只发布文字，不做检查。</source>
        <translation>No condition: this rule is published as text and not checked.</translation>
    </message>
    <message>
        <source>✓ 条件有效：{text}</source>
        <translation>✓ Valid condition: {text}</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>如：30 天内违规 3 次清退</source>
        <translation>e.g. Removed after 3 violations in 30 days</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>发布给成员看的条文</source>
        <translation>The wording members will see</translation>
    </message>
    <message>
        <source>正文</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>停用的群规不发布、也不检查，历史仍保留</source>
        <translation>A disabled rule is neither published nor checked; its history is kept</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>指定的群</source>
        <translation>Selected groups</translation>
    </message>
    <message>
        <source>适用范围</source>
        <translation>Applies to</translation>
    </message>
    <message>
        <source>条件</source>
        <translation>Condition</translation>
    </message>
    <message>
        <source>（不处理）</source>
        <translation>(no action)</translation>
    </message>
    <message>
        <source>标签名（打标签时）</source>
        <translation>Tag name (for Tag)</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>宽限期：先发宽限提醒，这么多天后仍符合条件才执行动作</source>
        <translation>Grace period: send a grace reminder first and act only if the condition still holds after this many days</translation>
    </message>
    <message>
        <source>宽限</source>
        <translation>Grace</translation>
    </message>
    <message>
        <source>处理动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>还原</source>
        <translation>Revert</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>新建群规</source>
        <translation>New rule</translation>
    </message>
    <message>
        <source>编辑群规：{title}</source>
        <translation>Edit rule: {title}</translation>
    </message>
</context>
<context>
    <name>RulesTableModel</name>
    <message>
        <source>序号</source>
        <translation>#</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>On</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>处理动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>适用范围</source>
        <translation>Applies to</translation>
    </message>
    <message>
        <source>（仅文字）</source>
        <translation>(text only)</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>条件：{condition}</source>
        <translation>Condition: {condition}</translation>
    </message>
</context>
<context>
    <name>RulesView</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>指定的群 </source>
        <translation>Chosen groups </translation>
    </message>
    <message>
        <source>标题：</source>
        <translation>Title: </translation>
    </message>
    <message>
        <source>类别：</source>
        <translation>Category: </translation>
    </message>
    <message>
        <source>启用：</source>
        <translation>Enabled: </translation>
    </message>
    <message>
        <source>适用范围：</source>
        <translation>Applies to: </translation>
    </message>
    <message>
        <source>条件：</source>
        <translation>Condition: </translation>
    </message>
    <message>
        <source>处理动作：</source>
        <translation>Action: </translation>
    </message>
    <message>
        <source>动作参数：</source>
        <translation>Action argument: </translation>
    </message>
    <message>
        <source>宽限天数：</source>
        <translation>Grace days: </translation>
    </message>
    <message>
        <source>正文：</source>
        <translation>Text:</translation>
    </message>
    <message>
        <source>群规</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Metric</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>生效时间</source>
        <translation>Effective</translation>
    </message>
    <message>
        <source>修改人</source>
        <translation>Changed by</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>条件</source>
        <translation>Condition</translation>
    </message>
    <message>
        <source>动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>还没有群规。可以先安装推荐群规（新成员自我介绍、30/60 天未发言、违规清退、禁止广告、升为骨干、续费提醒），再按自己的社群修改。</source>
        <translation>No rules yet. Start with the recommended rules (newcomer introductions, 30/60 days without posting, removal for violations, no ads, promotion to core member, renewal reminders), then adapt them to your community.</translation>
    </message>
    <message>
        <source>安装推荐群规</source>
        <translation>Install recommended rules</translation>
    </message>
    <message>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>也可以拖动调整顺序</source>
        <translation>You can also drag to reorder</translation>
    </message>
    <message>
        <source>试运行</source>
        <translation>Dry run</translation>
    </message>
    <message>
        <source>用编辑中的条件查一遍：现在会命中哪些成员（不做任何改动）</source>
        <translation>Run the condition being edited: which members would it hit now (nothing is changed)</translation>
    </message>
    <message>
        <source>编辑与试运行</source>
        <translation>Edit and dry run</translation>
    </message>
    <message>
        <source>确认所选</source>
        <translation>Confirm selected</translation>
    </message>
    <message>
        <source>执行所选待办：记入动态，并按动作修改状态/角色/标签（可撤销）</source>
        <translation>Carry out the selected to-dos: log them in Activity and change status/role/tags as the action says (can be undone)</translation>
    </message>
    <message>
        <source>全部确认</source>
        <translation>Confirm all</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>待办</source>
        <translation>To-dos</translation>
    </message>
    <message>
        <source>历史版本</source>
        <translation>History</translation>
    </message>
    <message>
        <source>截至日期</source>
        <translation>As of</translation>
    </message>
    <message>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>复制群规全文，可直接粘贴到群公告</source>
        <translation>Copy the full rules, ready to paste into a group announcement</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>发布文本</source>
        <translation>Published text</translation>
    </message>
    <message>
        <source>新建群规</source>
        <translation>New rule</translation>
    </message>
    <message>
        <source>新建一条群规 (Ctrl+N)</source>
        <translation>Create a new rule (Ctrl+N)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>保存编辑中的群规 (Ctrl+S)</source>
        <translation>Save the rule being edited (Ctrl+S)</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>删除所选群规（历史保留，可撤销）</source>
        <translation>Delete the selected rule (history is kept; can be undone)</translation>
    </message>
    <message>
        <source>添加常用的推荐群规（已有同名的跳过）</source>
        <translation>Add the common recommended rules (skipping any with the same title)</translation>
    </message>
    <message>
        <source>查看待办</source>
        <translation>Check to-dos</translation>
    </message>
    <message>
        <source>按群规检查全部成员，列出需要处理的人</source>
        <translation>Check every member against the rules and list who needs action</translation>
    </message>
    <message>
        <source>正在读取群规…</source>
        <translation>Loading rules…</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>新群规</source>
        <translation>New rule</translation>
    </message>
    <message>
        <source>「{title}」的修改还没有保存。</source>
        <translation>Your changes to “{title}” are not saved yet.</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <source>启用群规「{title}」</source>
        <translation>Enable rule “{title}”</translation>
    </message>
    <message>
        <source>停用群规「{title}」</source>
        <translation>Disable rule “{title}”</translation>
    </message>
    <message>
        <source>正在计算成员指标…</source>
        <translation>Calculating member metrics…</translation>
    </message>
    <message>
        <source>条件有误，改正后显示命中的成员。</source>
        <translation>The condition has an error; fix it to see the matching members.</translation>
    </message>
    <message>
        <source>写好条件后，这里会列出现在符合条件的成员（试运行，不做任何改动）。</source>
        <translation>Once you write a condition, the members who match it now are listed here (a dry run; nothing is changed).</translation>
    </message>
    <message>
        <source>点「试运行」查看现在会命中哪些成员。</source>
        <translation>Click “Dry run” to see which members would match now.</translation>
    </message>
    <message>
        <source>正在计算成员指标（成员多时需要几秒）…</source>
        <translation>Calculating member metrics (takes a few seconds with many members)…</translation>
    </message>
    <message>
        <source>试运行：现在有 {n} 人符合条件（截至 {date}），下面列出前 {k} 人。</source>
        <translation>Dry run: {n} member(s) match now (as of {date}); the first {k} are listed below.</translation>
    </message>
    <message>
        <source>试运行：现在有 {n} 人符合条件（截至 {date}）。</source>
        <translation>Dry run: {n} member(s) match now (as of {date}).</translation>
    </message>
    <message>
        <source>正在按群规检查全部成员…</source>
        <translation>Checking all members against the rules…</translation>
    </message>
    <message>
        <source>宽限提醒</source>
        <translation>Grace reminder</translation>
    </message>
    <message>
        <source>执行</source>
        <translation>Act</translation>
    </message>
    <message>
        <source>待处理 {n} 项</source>
        <translation>{n} to-do(s)</translation>
    </message>
    <message>
        <source>没有待处理的事项：现在没有成员触发群规。</source>
        <translation>Nothing to do: no member triggers a rule right now.</translation>
    </message>
    <message>
        <source>（可撤销）</source>
        <translation> (can be undone)</translation>
    </message>
    <message>
        <source>已撤销这次处理</source>
        <translation>This action was undone</translation>
    </message>
    <message>
        <source>第 {rev} 版，{when}，{who}</source>
        <translation>Version {rev}, {when}, {who}</translation>
    </message>
    <message>
        <source>（最初的版本）</source>
        <translation> (first version)</translation>
    </message>
    <message>
        <source>第 {rev} 版</source>
        <translation>Version {rev}</translation>
    </message>
    <message>
        <source>（内容没有变化）</source>
        <translation>(no changes)</translation>
    </message>
    <message>
        <source>已复制，可以粘贴到群公告。</source>
        <translation>Copied; paste it into the group announcement.</translation>
    </message>
    <message>
        <source>导出群规</source>
        <translation>Export the rules</translation>
    </message>
    <message>
        <source>群规_{day}.txt</source>
        <translation>rules_{day}.txt</translation>
    </message>
    <message>
        <source>文本文件 (*.txt);;Excel 工作簿 (*.xlsx)</source>
        <translation>Text files (*.txt);;Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出到 {path}</source>
        <translation>Exported to {path}</translation>
    </message>
</context>
<context>
    <name>TodoTableModel</name>
    <message>
        <source>群规</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>到期</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>Vocab</name>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
</context>
<context>
    <name>commands_rules</name>
    <message>
        <source>新建群规「{title}」</source>
        <translation>New rule “{title}”</translation>
    </message>
    <message>
        <source>修改群规「{title}」</source>
        <translation>Edit rule “{title}”</translation>
    </message>
    <message>
        <source>删除群规「{title}」</source>
        <translation>Delete rule “{title}”</translation>
    </message>
    <message>
        <source>移动群规「{title}」</source>
        <translation>Move rule “{title}”</translation>
    </message>
    <message>
        <source>安装推荐群规</source>
        <translation>Install recommended rules</translation>
    </message>
    <message>
        <source>确认待办：{action}「{name}」</source>
        <translation>Confirm to-do: {action} “{name}”</translation>
    </message>
    <message>
        <source>确认 {n} 项群规待办</source>
        <translation>Confirm {n} rule to-dos</translation>
    </message>
</context>
</TS>
