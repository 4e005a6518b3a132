<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BriefSheet</name>
    <message>
        <source>指标</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>本期</source>
        <translation>This period</translation>
    </message>
    <message>
        <source>上期</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>变化</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>变化率</source>
        <translation>Change %</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>城市</source>
        <translation>City</translation>
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
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>需求编号</source>
        <translation>Need ID</translation>
    </message>
    <message>
        <source>需求方</source>
        <translation>Needed by</translation>
    </message>
    <message>
        <source>需求内容</source>
        <translation>Need</translation>
    </message>
    <message>
        <source>供给编号</source>
        <translation>Offer ID</translation>
    </message>
    <message>
        <source>供给方</source>
        <translation>Offered by</translation>
    </message>
    <message>
        <source>供给内容</source>
        <translation>Offer</translation>
    </message>
    <message>
        <source>匹配度</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Starts</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>人数上限</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>已报名</source>
        <translation>Signed up</translation>
    </message>
    <message>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>缺席</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <source>候补</source>
        <translation>Waitlist</translation>
    </message>
    <message>
        <source>到场率</source>
        <translation>Attendance</translation>
    </message>
    <message>
        <source>排名</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>活跃分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>近7天发言</source>
        <translation>Posts 7d</translation>
    </message>
    <message>
        <source>近30天发言</source>
        <translation>Posts 30d</translation>
    </message>
    <message>
        <source>近90天发言</source>
        <translation>Posts 90d</translation>
    </message>
    <message>
        <source>近30天分享</source>
        <translation>Shares 30d</translation>
    </message>
    <message>
        <source>近90天参加活动</source>
        <translation>Events 90d</translation>
    </message>
    <message>
        <source>近90天缺席</source>
        <translation>No-shows 90d</translation>
    </message>
    <message>
        <source>邀请留存</source>
        <translation>Invitees stayed</translation>
    </message>
    <message>
        <source>最近参与</source>
        <translation>Last active</translation>
    </message>
    <message>
        <source>入群天数</source>
        <translation>Days in group</translation>
    </message>
    <message>
        <source>群规</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>处理</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Because</translation>
    </message>
    <message>
        <source>新发布供给</source>
        <translation>New offers</translation>
    </message>
    <message>
        <source>新发布需求</source>
        <translation>New needs</translation>
    </message>
    <message>
        <source>新记录撮合</source>
        <translation>Matches recorded</translation>
    </message>
    <message>
        <source>其中已对接</source>
        <translation>Of these, connected</translation>
    </message>
    <message>
        <source>活跃成员</source>
        <translation>Active members</translation>
    </message>
    <message>
        <source>入群</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>退群</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>活动场次</source>
        <translation>Events held</translation>
    </message>
    <message>
        <source>报名人次</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <source>签到人次</source>
        <translation>Check-ins</translation>
    </message>
    <message>
        <source>缺席率</source>
        <translation>No-show rate</translation>
    </message>
    <message>
        <source>{change} 个百分点</source>
        <translation>{change} pts</translation>
    </message>
</context>
<context>
    <name>BriefView</name>
    <message>
        <source>简报</source>
        <translation>Brief</translation>
    </message>
    <message>
        <source>时间：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>上周</source>
        <translation>Last week</translation>
    </message>
    <message>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <source>自定义…</source>
        <translation>Custom…</translation>
    </message>
    <message>
        <source>手机、微信打码</source>
        <translation>Mask phones and WeChat IDs</translation>
    </message>
    <message>
        <source>默认打码（138****8000、wx****88）；不打码需要确认，并记入操作日志</source>
        <translation>Masked by default (138****8000, wx****88); unmasking asks for confirmation and is recorded in the audit log</translation>
    </message>
    <message>
        <source>姓名缩写（张*）</source>
        <translation>Short names (surname + *)</translation>
    </message>
    <message>
        <source>复制文本</source>
        <translation>Copy text</translation>
    </message>
    <message>
        <source>复制可以直接发到群里的文字版简报</source>
        <translation>Copy a plain-text brief you can post straight into a group chat</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>导出简报…</source>
        <translation>Export brief…</translation>
    </message>
    <message>
        <source>读取群列表</source>
        <translation>Loading groups</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>群：全部</source>
        <translation>Groups: all</translation>
    </message>
    <message>
        <source>{n} 个群</source>
        <translation>{n} groups</translation>
    </message>
    <message>
        <source>群：{names}</source>
        <translation>Groups: {names}</translation>
    </message>
    <message>
        <source>不打码导出</source>
        <translation>Export unmasked</translation>
    </message>
    <message>
        <source>不打码时，简报会包含成员完整的手机号和微信号。
请只在确有需要、且接收人可信时这样做；每次不打码的导出都会记入操作日志。

确定不打码吗？</source>
        <translation>Unmasked, the brief contains members&apos; full phone numbers and WeChat IDs.
Only do this when it is really needed and the recipients can be trusted; every unmasked export is recorded in the audit log.

Export without masking?</translation>
    </message>
    <message>
        <source>开始日期晚于结束日期</source>
        <translation>The start date is after the end date</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>Building the preview…</translation>
    </message>
    <message>
        <source>生成简报预览</source>
        <translation>Building the brief preview</translation>
    </message>
    <message>
        <source>{start} 至 {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <source>{period}：{parts}</source>
        <translation>{period}: {parts}</translation>
    </message>
    <message>
        <source>&#x3000;（{n} 人未授权，未列出）</source>
        <translation>  ({n} without consent, not listed)</translation>
    </message>
    <message>
        <source>&#x3000;注意：未打码</source>
        <translation>  Note: not masked</translation>
    </message>
    <message>
        <source>导出供求简报</source>
        <translation>Export the brief</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>已取消导出，原有文件未改动</source>
        <translation>Export cancelled; the existing file is unchanged</translation>
    </message>
    <message>
        <source>已复制文字版简报</source>
        <translation>Plain-text brief copied</translation>
    </message>
    <message>
        <source>（共 {n} 条消息，请分条发送）</source>
        <translation> ({n} messages; send them one at a time)</translation>
    </message>
    <message>
        <source>生成文字版简报</source>
        <translation>Building the plain-text brief</translation>
    </message>
    <message>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>供给</source>
        <translation>Offers</translation>
    </message>
    <message>
        <source>需求</source>
        <translation>Needs</translation>
    </message>
    <message>
        <source>匹配建议</source>
        <translation>Suggested matches</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>活跃度</source>
        <translation>Engagement</translation>
    </message>
    <message>
        <source>待办</source>
        <translation>To-dos</translation>
    </message>
</context>
</TS>
