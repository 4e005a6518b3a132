<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ChoiceDialog</name>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>新建成员「{name}」</source>
        <translation>Add member “{name}”</translation>
    </message>
    <message>
        <source>编辑成员「{name}」</source>
        <translation>Edit member “{name}”</translation>
    </message>
    <message>
        <source>成员「{name}」已被其他人修改，请刷新后再编辑</source>
        <translation>Member “{name}” was changed by someone else; reload before editing</translation>
    </message>
    <message>
        <source>删除成员「{name}」</source>
        <translation>Delete member “{name}”</translation>
    </message>
    <message>
        <source>删除 {n} 名成员</source>
        <translation>Delete {n} members</translation>
    </message>
    <message>
        <source>给 {n} 名成员打标签 {tags}</source>
        <translation>Tag {n} members {tags}</translation>
    </message>
    <message>
        <source>把 {n} 名成员移到「{group}」</source>
        <translation>Move {n} members to “{group}”</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>选择文件</source>
        <translation>Choose a file</translation>
    </message>
    <message>
        <source>支持 Excel 工作簿 (.xlsx / .xls) 和 CSV / 文本文件（UTF-8、GBK 均可）。</source>
        <translation>Excel workbooks (.xlsx / .xls) and CSV / text files (UTF-8 or GBK) are supported.</translation>
    </message>
    <message>
        <source>文件路径</source>
        <translation>File path</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>选择要导入的文件</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <source>表格文件 (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;所有文件 (*)</source>
        <translation>Spreadsheets (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;All files (*)</translation>
    </message>
    <message>
        <source>找不到这个文件</source>
        <translation>This file does not exist</translation>
    </message>
</context>
<context>
    <name>ImportFields</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>真实姓名</source>
        <translation>Real name</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>微信号</source>
        <translation>WeChat ID</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>城市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>公司</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>职位</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>自我介绍</source>
        <translation>Self-introduction</translation>
    </message>
    <message>
        <source>入群时间</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>邀请人</source>
        <translation>Invited by</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>会员等级</source>
        <translation>Membership tier</translation>
    </message>
    <message>
        <source>付费到期</source>
        <translation>Paid until</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>同意使用数据</source>
        <translation>Consent to data use</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>群昵称</source>
        <translation>Group nickname</translation>
    </message>
    <message>
        <source>所在群</source>
        <translation>Groups</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>各群入群时间</source>
        <translation>Joined (per group)</translation>
    </message>
    <message>
        <source>各群退群时间</source>
        <translation>Left (per group)</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>群</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>数量</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>更新已有成员</source>
        <translation>Update the existing member</translation>
    </message>
    <message>
        <source>仍作为新成员导入</source>
        <translation>Import as a new member anyway</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>正在导入</source>
        <translation>Importing</translation>
    </message>
    <message>
        <source>导入在后台进行，可以随时取消：取消后工作区保持导入前的样子。</source>
        <translation>The import runs in the background and can be cancelled at any time: the workspace then stays as it was before.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>重新导入</source>
        <translation>Import again</translation>
    </message>
    <message>
        <source>正在写入 {n} 行…</source>
        <translation>Writing {n} rows…</translation>
    </message>
    <message>
        <source>已写入 {done} / {total} 行…</source>
        <translation>Written {done} / {total} rows…</translation>
    </message>
    <message>
        <source>正在取消，已写入的部分将全部撤回…</source>
        <translation>Cancelling; everything written so far will be rolled back…</translation>
    </message>
    <message>
        <source>已取消导入，工作区没有任何改动。</source>
        <translation>Import cancelled; the workspace is unchanged.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>成员「{name}」(#{id})</source>
        <translation>member “{name}” (#{id})</translation>
    </message>
    <message>
        <source>本文件第 {row} 行</source>
        <translation>row {row} of this file</translation>
    </message>
    <message>
        <source>数据 {rows} 行：将新增 {create} 人，更新 {update} 人；跳过空行/合计行 {skipped} 行，重复 {dups} 处（跳过 {dup_skipped} 行），有错误不导入 {errors} 行。</source>
        <translation>{rows} data rows: {create} members will be added and {update} updated; {skipped} blank/total rows skipped; {dups} duplicates ({dup_skipped} rows skipped); {errors} rows with errors will not be imported.</translation>
    </message>
    <message>
        <source>导入成员名单</source>
        <translation>Import members</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>重复项</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>与谁重复</source>
        <translation>Same as</translation>
    </message>
    <message>
        <source>导入动态记录</source>
        <translation>Import activity</translation>
    </message>
    <message>
        <source>与之前导入的记录完全相同</source>
        <translation>identical to a record imported before</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>共 {rows} 行数据，可导入 {n} 条动态；跳过重复 {dups} 行，有问题未导入 {bad} 行。</source>
        <translation>{rows} data rows: {n} activity records can be imported; {dups} duplicate rows skipped; {bad} rows with problems will not be imported.</translation>
    </message>
    <message>
        <source>下一步 &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <source>&lt; 上一步</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>列对应</source>
        <translation>Column mapping</translation>
    </message>
    <message>
        <source>每一列要导入到哪个字段？已按列名自动识别，可以修改。</source>
        <translation>Which field does each column go to? Recognised from the column names; change as needed.</translation>
    </message>
    <message>
        <source>文件中的列</source>
        <translation>Column in the file</translation>
    </message>
    <message>
        <source>导入为</source>
        <translation>Import as</translation>
    </message>
    <message>
        <source>示例</source>
        <translation>Example</translation>
    </message>
    <message>
        <source>不导入</source>
        <translation>Don&apos;t import</translation>
    </message>
    <message>
        <source>作为自定义字段</source>
        <translation>Keep as a custom field</translation>
    </message>
    <message>
        <source>「{field}」对应了不止一列，请只保留一列。</source>
        <translation>“{field}” is chosen for more than one column; keep only one.</translation>
    </message>
    <message>
        <source>还没有列对应到「{field}」。</source>
        <translation>No column is mapped to “{field}” yet.</translation>
    </message>
    <message>
        <source>」或「</source>
        <translation>” or “</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <source>选择一名成员查看资料，
或按 Ctrl+N 新建成员。</source>
        <translation>Select a member to see their page,
or press Ctrl+N to add one.</translation>
    </message>
    <message>
        <source>资料</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>群</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>群昵称</source>
        <translation>Group nickname</translation>
    </message>
    <message>
        <source>入群日期</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>退群日期</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>关键词</source>
        <translation>Keywords</translation>
    </message>
    <message>
        <source>发布日期</source>
        <translation>Posted</translation>
    </message>
    <message>
        <source>到期</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>报名状态</source>
        <translation>Registration</translation>
    </message>
    <message>
        <source>签到时间</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>所在群</source>
        <translation>Groups</translation>
    </message>
    <message>
        <source>供求</source>
        <translation>Offers/needs</translation>
    </message>
    <message>
        <source>参加的活动</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>动态</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>真实姓名</source>
        <translation>Real name</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>如 138 0013 8000</source>
        <translation>e.g. 138 0013 8000</translation>
    </message>
    <message>
        <source>微信号</source>
        <translation>WeChat ID</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>城市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>公司</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>职位</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>活跃等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>会员等级</source>
        <translation>Membership tier</translation>
    </message>
    <message>
        <source>付费到期</source>
        <translation>Paid until</translation>
    </message>
    <message>
        <source>如 2025-06-30</source>
        <translation>e.g. 2025-06-30</translation>
    </message>
    <message>
        <source>入群时间</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>如 2024-03-05</source>
        <translation>e.g. 2024-03-05</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>用逗号或空格分隔，如 设计, 杭州</source>
        <translation>Separated by commas or spaces, e.g. design, Hangzhou</translation>
    </message>
    <message>
        <source>数据使用</source>
        <translation>Data use</translation>
    </message>
    <message>
        <source>已同意使用其个人信息</source>
        <translation>Agreed to data use</translation>
    </message>
    <message>
        <source>自我介绍</source>
        <translation>Self-introduction</translation>
    </message>
    <message>
        <source>邀请人</source>
        <translation>Invited by</translation>
    </message>
    <message>
        <source>新成员</source>
        <translation>New member</translation>
    </message>
    <message>
        <source>填写资料后按「保存」</source>
        <translation>Fill in the profile and press Save</translation>
    </message>
    <message>
        <source>正在载入成员资料…</source>
        <translation>Loading the member…</translation>
    </message>
    <message>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>保存失败：{msg}。已重新载入最新资料，请重新修改后再保存。</source>
        <translation>Not saved: {msg}. The latest data has been reloaded; make your change again and save.</translation>
    </message>
    <message>
        <source>这名成员已被删除。</source>
        <translation>This member has been deleted.</translation>
    </message>
    <message>
        <source>保存失败：{msg}</source>
        <translation>Not saved: {msg}</translation>
    </message>
    <message>
        <source>未保存：请按提示修改</source>
        <translation>Not saved: please correct the fields shown</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>检查结果：有错误的行不会导入；确认无误后按「导入」。</source>
        <translation>Check the result: rows with errors are not imported. Press Import when it looks right.</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>与已有成员重复（手机号或微信号相同）时：</source>
        <translation>When a row matches an existing member (same phone or WeChat ID):</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Errors</translation>
    </message>
    <message>
        <source>重复</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>正在逐行检查…</source>
        <translation>Checking every row…</translation>
    </message>
    <message>
        <source>正在检查导入文件…</source>
        <translation>Checking the import file…</translation>
    </message>
    <message>
        <source>没有可以导入的行。</source>
        <translation>There are no rows to import.</translation>
    </message>
    <message>
        <source>错误 ({n})</source>
        <translation>Errors ({n})</translation>
    </message>
    <message>
        <source>，仅列出前 {n} 条</source>
        <translation>, first {n} listed</translation>
    </message>
    <message>
        <source>重复 ({n})</source>
        <translation>Duplicates ({n})</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>导入完成</source>
        <translation>Import finished</translation>
    </message>
    <message>
        <source>撤销本次导入</source>
        <translation>Undo this import</translation>
    </message>
    <message>
        <source>整批撤销：删除这次新增的记录，更新过的成员恢复原样</source>
        <translation>Undo the whole batch: remove what it added and restore the members it updated</translation>
    </message>
    <message>
        <source>已导入「{file}」（批次 #{id}）：新增 {created}，更新 {updated}。</source>
        <translation>Imported “{file}” (batch #{id}): {created} added, {updated} updated.</translation>
    </message>
    <message>
        <source>有错误未导入 {n} 行。</source>
        <translation> {n} rows with errors were not imported.</translation>
    </message>
    <message>
        <source>如果导入的内容不对，可以按下面的按钮整批撤销。</source>
        <translation>If the import is not right, undo the whole batch with the button below.</translation>
    </message>
    <message>
        <source>正在撤销…</source>
        <translation>Undoing…</translation>
    </message>
    <message>
        <source>已撤销本次导入。</source>
        <translation>This import has been undone.</translation>
    </message>
    <message>
        <source>正在撤销导入…</source>
        <translation>Undoing the import…</translation>
    </message>
</context>
<context>
    <name>RosterTableModel</name>
    <message>
        <source>（已删除）</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>微信号</source>
        <translation>WeChat ID</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>活跃等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>城市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>所在群</source>
        <translation>Groups</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>入群时间</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>此列不能排序</source>
        <translation>This column cannot be sorted</translation>
    </message>
</context>
<context>
    <name>RosterView</name>
    <message>
        <source>成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>搜索姓名、拼音或首字母(zs)、手机号、微信号、#标签</source>
        <translation>Search name, pinyin or initials (zs), phone, WeChat ID, #tag</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>全部角色</source>
        <translation>All roles</translation>
    </message>
    <message>
        <source>全部等级</source>
        <translation>All levels</translation>
    </message>
    <message>
        <source>全部标签</source>
        <translation>All tags</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>Ctrl+F 搜索 · Ctrl+N 新建 · Del 删除 · Ctrl+Z 撤销</source>
        <translation>Ctrl+F search · Ctrl+N new · Del delete · Ctrl+Z undo</translation>
    </message>
    <message>
        <source>新建成员</source>
        <translation>New member</translation>
    </message>
    <message>
        <source>新建成员 (Ctrl+N)</source>
        <translation>New member (Ctrl+N)</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>编辑所选成员 (Ctrl+E)</source>
        <translation>Edit the selected member (Ctrl+E)</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>删除所选成员 (Del)，可撤销</source>
        <translation>Delete the selected members (Del); can be undone</translation>
    </message>
    <message>
        <source>打标签</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>给所选成员打标签 (Ctrl+T)</source>
        <translation>Tag the selected members (Ctrl+T)</translation>
    </message>
    <message>
        <source>移到群</source>
        <translation>Move to group</translation>
    </message>
    <message>
        <source>把所选成员加入一个群</source>
        <translation>Add the selected members to a group</translation>
    </message>
    <message>
        <source>改角色</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>修改所选成员的角色</source>
        <translation>Change the role of the selected members</translation>
    </message>
    <message>
        <source>标记已清退</source>
        <translation>Mark removed</translation>
    </message>
    <message>
        <source>把所选成员的状态改为「已清退」</source>
        <translation>Set the selected members&apos; status to “removed”</translation>
    </message>
    <message>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>从 Excel / CSV 导入成员名单 (Ctrl+I)</source>
        <translation>Import members from Excel / CSV (Ctrl+I)</translation>
    </message>
    <message>
        <source>撤销本次导入</source>
        <translation>Undo this import</translation>
    </message>
    <message>
        <source>整批撤销最近一次导入的成员</source>
        <translation>Undo the latest member import as a whole</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>正在查询成员…</source>
        <translation>Searching members…</translation>
    </message>
    <message>
        <source>共 {n} 人</source>
        <translation>{n} members</translation>
    </message>
    <message>
        <source>已选 {n} 人</source>
        <translation>{n} selected</translation>
    </message>
    <message>
        <source>删除成员</source>
        <translation>Delete members</translation>
    </message>
    <message>
        <source>删除成员「{name}」？</source>
        <translation>Delete member “{name}”?</translation>
    </message>
    <message>
        <source>删除所选的 {n} 名成员？</source>
        <translation>Delete the {n} selected members?</translation>
    </message>
    <message>
        <source>他们的群成员关系、报名、供求和动态记录也会一并删除。可以用「撤销」(Ctrl+Z) 恢复。</source>
        <translation>Their group memberships, registrations, offers/needs and activity are deleted with them. Undo (Ctrl+Z) brings everything back.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>给所选的 {n} 名成员加上标签（多个标签用逗号或空格分隔）：</source>
        <translation>Add tags to the {n} selected members (separate several tags with commas or spaces):</translation>
    </message>
    <message>
        <source>如 待跟进, 设计</source>
        <translation>e.g. follow-up, design</translation>
    </message>
    <message>
        <source>工作区里还没有群。</source>
        <translation>There are no groups in this workspace yet.</translation>
    </message>
    <message>
        <source>把所选的 {n} 名成员加入：</source>
        <translation>Add the {n} selected members to:</translation>
    </message>
    <message>
        <source>同时记为退出「{group}」</source>
        <translation>Record that they left “{group}”</translation>
    </message>
    <message>
        <source>把所选的 {n} 名成员的角色改为：</source>
        <translation>Change the role of the {n} selected members to:</translation>
    </message>
    <message>
        <source>把 {n} 名成员改为{role}</source>
        <translation>Make {n} members {role}</translation>
    </message>
    <message>
        <source>把所选的 {n} 名成员标记为「已清退」？</source>
        <translation>Mark the {n} selected members as removed?</translation>
    </message>
    <message>
        <source>只改变状态，不删除任何记录；可以撤销。</source>
        <translation>Only the status changes; nothing is deleted. Can be undone.</translation>
    </message>
    <message>
        <source>把 {n} 名成员标记为已清退</source>
        <translation>Mark {n} members as removed</translation>
    </message>
    <message>
        <source>整批撤销导入 #{id}「{file}」（新增 {created}，更新 {updated}）</source>
        <translation>Undo import #{id} “{file}” as a whole ({created} added, {updated} updated)</translation>
    </message>
    <message>
        <source>撤销导入 #{id}「{file}」？</source>
        <translation>Undo import #{id} “{file}”?</translation>
    </message>
    <message>
        <source>这次导入新增的 {created} 名成员将被删除，更新过的 {updated} 名成员恢复为导入前的资料。</source>
        <translation>The {created} members this import added will be deleted, and the {updated} members it updated get their previous data back.</translation>
    </message>
    <message>
        <source>撤销导入</source>
        <translation>Undo import</translation>
    </message>
    <message>
        <source>正在撤销导入…</source>
        <translation>Undoing the import…</translation>
    </message>
</context>
<context>
    <name>SheetPage</name>
    <message>
        <source>工作表和表头</source>
        <translation>Sheet and header row</translation>
    </message>
    <message>
        <source>确认数据所在的工作表，以及哪一行是列名（表头）。点击下表中的一行即可选为表头。</source>
        <translation>Confirm the sheet that holds the data and which row holds the column names (the header). Click a row below to make it the header.</translation>
    </message>
    <message>
        <source>第 </source>
        <translation>Row </translation>
    </message>
    <message>
        <source> 行</source>
        <translation> </translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>表头所在行</source>
        <translation>Header row</translation>
    </message>
    <message>
        <source>正在读取文件…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <source>没能自动找到表头，请点击列名所在的那一行。</source>
        <translation>The header row was not found automatically; click the row with the column names.</translation>
    </message>
    <message>
        <source>这个工作表是空的。</source>
        <translation>This sheet is empty.</translation>
    </message>
</context>
</TS>
