<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActivityDialog</name>
    <message>
        <source>补录动态</source>
        <translation>Add activity</translation>
    </message>
    <message>
        <source>修改动态 #{id}</source>
        <translation>Edit activity #{id}</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>（不指定群）</source>
        <translation>(no group)</translation>
    </message>
    <message>
        <source>群</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>请先选择成员</source>
        <translation>Choose a member first</translation>
    </message>
</context>
<context>
    <name>ActivityLogModel</name>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>群</source>
        <translation>Group</translation>
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
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>手工</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>系统</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>ActivityView</name>
    <message>
        <source>动态</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>导入时间</source>
        <translation>Imported</translation>
    </message>
    <message>
        <source>条数</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>成员：姓名、拼音首字母、手机号、#标签</source>
        <translation>Member: name, pinyin initials, phone, #tag</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>全部来源</source>
        <translation>All sources</translation>
    </message>
    <message>
        <source>备注包含…</source>
        <translation>Note contains…</translation>
    </message>
    <message>
        <source>按备注文字筛选；在很长的时间范围上会比较慢，可先选成员、群或日期</source>
        <translation>Filter by note text; slow over long periods, so pick a member, group or dates first</translation>
    </message>
    <message>
        <source>导入批次</source>
        <translation>Import batches</translation>
    </message>
    <message>
        <source>还没有导入过动态。用「导入…」从聊天统计等表格导入后，每一批都会列在这里，可以整批撤销。</source>
        <translation>No activity imported yet. Each batch you bring in with “Import…” (chat statistics and other spreadsheets) is listed here and can be undone as a whole.</translation>
    </message>
    <message>
        <source>只看本批</source>
        <translation>Show this batch</translation>
    </message>
    <message>
        <source>撤销本批</source>
        <translation>Undo this batch</translation>
    </message>
    <message>
        <source>删除这一批导入的全部动态（整批撤销）</source>
        <translation>Delete all activity imported in this batch (undo the whole batch)</translation>
    </message>
    <message>
        <source>补录动态</source>
        <translation>Add activity</translation>
    </message>
    <message>
        <source>手动补录一条动态 (Ctrl+N)</source>
        <translation>Add an activity record by hand (Ctrl+N)</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>删除所选动态 (Del)，可撤销</source>
        <translation>Delete the selected records (Del); can be undone</translation>
    </message>
    <message>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>从聊天统计等 Excel / CSV 导入动态 (Ctrl+I)</source>
        <translation>Import activity from chat statistics or other Excel / CSV files (Ctrl+I)</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>正在读取动态…</source>
        <translation>Loading activity…</translation>
    </message>
    <message>
        <source>正在统计动态条数…</source>
        <translation>Counting activity records…</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <source>已载入 {n} 条，向下滚动载入更多</source>
        <translation>{n} loaded; scroll down for more</translation>
    </message>
    <message>
        <source>已载入 {n} 条</source>
        <translation>{n} loaded</translation>
    </message>
    <message>
        <source>导入 #{id} {file}</source>
        <translation>Import #{id} {file}</translation>
    </message>
    <message>
        <source>已撤销</source>
        <translation>Undone</translation>
    </message>
    <message>
        <source>已导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <source>只看「{name}」</source>
        <translation>Only “{name}”</translation>
    </message>
    <message>
        <source>撤销导入 #{id}「{file}」？</source>
        <translation>Undo import #{id} “{file}”?</translation>
    </message>
    <message>
        <source>这一批导入的 {n} 条动态将全部删除。</source>
        <translation>All {n} activity records from this import will be deleted.</translation>
    </message>
    <message>
        <source>撤销导入</source>
        <translation>Undo import</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在撤销导入…</source>
        <translation>Undoing the import…</translation>
    </message>
    <message>
        <source>无法撤销这批导入</source>
        <translation>Cannot undo this import</translation>
    </message>
</context>
<context>
    <name>CommandFormDialog</name>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>保存失败：{error}</source>
        <translation>Could not save: {error}</translation>
    </message>
</context>
<context>
    <name>DateRangeFilter</name>
    <message>
        <source>全部时间</source>
        <translation>All time</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>近 90 天</source>
        <translation>Last 90 days</translation>
    </message>
    <message>
        <source>今年</source>
        <translation>This year</translation>
    </message>
    <message>
        <source>自定义…</source>
        <translation>Custom…</translation>
    </message>
</context>
<context>
    <name>KindsFilter</name>
    <message>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>{n} 种类型</source>
        <translation>{n} kinds</translation>
    </message>
</context>
<context>
    <name>MemberPicker</name>
    <message>
        <source>输入姓名、拼音首字母、手机号或微信号查找成员</source>
        <translation>Find a member by name, pinyin initials, phone or WeChat ID</translation>
    </message>
    <message>
        <source>尚未选择成员</source>
        <translation>No member chosen</translation>
    </message>
    <message>
        <source>已选：{name}（#{id}）</source>
        <translation>Chosen: {name} (#{id})</translation>
    </message>
    <message>
        <source>没有找到匹配的成员</source>
        <translation>No matching member</translation>
    </message>
</context>
<context>
    <name>commands_activity</name>
    <message>
        <source>补录动态：{name} {kind}</source>
        <translation>Add activity: {name} {kind}</translation>
    </message>
    <message>
        <source>修改动态 #{id}</source>
        <translation>Edit activity #{id}</translation>
    </message>
    <message>
        <source>删除 {n} 条动态</source>
        <translation>Delete {n} activity record(s)</translation>
    </message>
</context>
</TS>
