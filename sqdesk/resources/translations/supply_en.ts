<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>MatchesTableModel</name>
    <message>
        <source>已提议</source>
        <translation>Proposed</translation>
    </message>
    <message>
        <source>双方同意</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>未成</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已对接</source>
        <translation>Met</translation>
    </message>
    <message>
        <source>无结果</source>
        <translation>No result</translation>
    </message>
    <message>
        <source>对方</source>
        <translation>Counterpart</translation>
    </message>
    <message>
        <source>对方内容</source>
        <translation>Their post</translation>
    </message>
    <message>
        <source>匹配分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>记录时间</source>
        <translation>Recorded</translation>
    </message>
</context>
<context>
    <name>SupplyDialog</name>
    <message>
        <source>新建供给</source>
        <translation>New offer</translation>
    </message>
    <message>
        <source>新建需求</source>
        <translation>New need</translation>
    </message>
    <message>
        <source>编辑{kind} #{id}</source>
        <translation>Edit {kind} #{id}</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>能提供什么 / 需要什么，越具体越容易匹配</source>
        <translation>What is offered / needed; the more specific, the easier to match</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>用逗号或空格分隔，如：短视频, 剪辑</source>
        <translation>Separate with commas or spaces, e.g. short video, editing</translation>
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
        <source>设有效期</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>请先选择成员</source>
        <translation>Choose a member first</translation>
    </message>
</context>
<context>
    <name>SupplyTableModel</name>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
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
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>进行中</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已匹配</source>
        <translation>Matched</translation>
    </message>
    <message>
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>SupplyView</name>
    <message>
        <source>供求</source>
        <translation>Offers &amp; needs</translation>
    </message>
    <message>
        <source>搜索内容、关键词或成员（姓名、拼音首字母）</source>
        <translation>Search details, keywords or members (name, pinyin initials)</translation>
    </message>
    <message>
        <source>供给和需求</source>
        <translation>Offers and needs</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>按发布日期筛选</source>
        <translation>Filter by posting date</translation>
    </message>
    <message>
        <source>选择一条供给或需求查看详情</source>
        <translation>Select an offer or need to see its details</translation>
    </message>
    <message>
        <source>已记录的匹配</source>
        <translation>Recorded matches</translation>
    </message>
    <message>
        <source>这条还没有记录过匹配。</source>
        <translation>No matches recorded for this one yet.</translation>
    </message>
    <message>
        <source>结果：</source>
        <translation>Outcome:</translation>
    </message>
    <message>
        <source>备注（可选）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>记录结果</source>
        <translation>Record outcome</translation>
    </message>
    <message>
        <source>推荐匹配</source>
        <translation>Suggested matches</translation>
    </message>
    <message>
        <source>选择一条需求，查看可以对接的供给。</source>
        <translation>Select a need to see offers that could meet it.</translation>
    </message>
    <message>
        <source>接受推荐</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不合适</source>
        <translation>Not a fit</translation>
    </message>
    <message>
        <source>选择一条待撮合的需求，查看可以对接的供给。</source>
        <translation>Select an open need to see offers that could meet it.</translation>
    </message>
    <message>
        <source>正在寻找可以对接的供给…</source>
        <translation>Looking for matching offers…</translation>
    </message>
    <message>
        <source>{member}：{text}
匹配度 {score:.0%} · {reason}</source>
        <translation>{member}: {text}
Match {score:.0%} · {reason}</translation>
    </message>
    <message>
        <source>按类别、内容和关键词、同城同群、活跃度与发布时间推荐 {n} 条：</source>
        <translation>{n} suggested by category, details and keywords, same city or group, engagement and posting date:</translation>
    </message>
    <message>
        <source>暂时没有合适的供给。</source>
        <translation>No suitable offers for now.</translation>
    </message>
    <message>
        <source>寻找推荐匹配</source>
        <translation>Finding suggested matches</translation>
    </message>
    <message>
        <source>新建供给</source>
        <translation>New offer</translation>
    </message>
    <message>
        <source>新建一条供给 (Ctrl+N)</source>
        <translation>Post a new offer (Ctrl+N)</translation>
    </message>
    <message>
        <source>新建需求</source>
        <translation>New need</translation>
    </message>
    <message>
        <source>新建一条需求 (Ctrl+Shift+N)</source>
        <translation>Post a new need (Ctrl+Shift+N)</translation>
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
        <source>删除所选供求及其匹配记录 (Del)，可撤销</source>
        <translation>Delete the selected offers/needs and their matches (Del); can be undone</translation>
    </message>
    <message>
        <source>正在读取供求…</source>
        <translation>Loading offers and needs…</translation>
    </message>
    <message>
        <source>前 {n} 条（请缩小筛选）</source>
        <translation>First {n} (narrow the filters)</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>{n} in all</translation>
    </message>
    <message>
        <source>{member} 的{kind}</source>
        <translation>{kind} from {member}</translation>
    </message>
    <message>
        <source>发布于 {date}</source>
        <translation>Posted {date}</translation>
    </message>
    <message>
        <source>有效期至 {date}</source>
        <translation>Valid until {date}</translation>
    </message>
</context>
<context>
    <name>commands_supply</name>
    <message>
        <source>新建{kind}「{text}」</source>
        <translation>New {kind} “{text}”</translation>
    </message>
    <message>
        <source>修改{kind}「{text}」</source>
        <translation>Edit {kind} “{text}”</translation>
    </message>
    <message>
        <source>删除 {n} 条供求</source>
        <translation>Delete {n} offer(s)/need(s)</translation>
    </message>
    <message>
        <source>匹配 #{id} 结果改为「{outcome}」</source>
        <translation>Match #{id} outcome set to “{outcome}”</translation>
    </message>
    <message>
        <source>接受推荐：{need} ↔ {offer}</source>
        <translation>Accept suggestion: {need} ↔ {offer}</translation>
    </message>
    <message>
        <source>不采纳推荐：{need} ↔ {offer}</source>
        <translation>Decline suggestion: {need} ↔ {offer}</translation>
    </message>
</context>
</TS>
