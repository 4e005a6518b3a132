<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>CalendarView</name>
    <message>
        <source>活动</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>上一个月/周 (PgUp)</source>
        <translation>Previous month/week (PgUp)</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>下一个月/周 (PgDown)</source>
        <translation>Next month/week (PgDown)</translation>
    </message>
    <message>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>新建活动</source>
        <translation>New event</translation>
    </message>
    <message>
        <source>导出日历 .ics</source>
        <translation>Export .ics calendar</translation>
    </message>
    <message>
        <source>把当前月/周里的活动导出为 .ics，可导入手机或电脑日历</source>
        <translation>Export the events of this month/week as an .ics file for phone or desktop calendars</translation>
    </message>
    <message>
        <source>编辑…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>门口签到模式</source>
        <translation>Door check-in</translation>
    </message>
    <message>
        <source>报名…</source>
        <translation>Register…</translation>
    </message>
    <message>
        <source>取消报名</source>
        <translation>Cancel registration</translation>
    </message>
    <message>
        <source>标记缺席</source>
        <translation>Mark no-shows</translation>
    </message>
    <message>
        <source>导出 .ics</source>
        <translation>Export .ics</translation>
    </message>
    <message>
        <source>导出签到表</source>
        <translation>Export sign-in sheet</translation>
    </message>
    <message>
        <source>报名名单</source>
        <translation>Registrations</translation>
    </message>
    <message>
        <source>新建活动 (Ctrl+N)</source>
        <translation>New event (Ctrl+N)</translation>
    </message>
    <message>
        <source>回到今天 (Ctrl+T)</source>
        <translation>Back to today (Ctrl+T)</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>打开所选活动的门口签到模式 (Ctrl+K)</source>
        <translation>Open door check-in for the selected event (Ctrl+K)</translation>
    </message>
    <message>
        <source>{year}年{month}月</source>
        <translation>{month}/{year}</translation>
    </message>
    <message>
        <source>yyyy年M月d日</source>
        <translation>MMM d, yyyy</translation>
    </message>
    <message>
        <source>正在读取活动…</source>
        <translation>Loading events…</translation>
    </message>
    <message>
        <source>M月d日 dddd</source>
        <translation>dddd, MMM d</translation>
    </message>
    <message>
        <source>{date} · {n} 个活动</source>
        <translation>{date} · {n} event(s)</translation>
    </message>
    <message>
        <source>{date} · 没有活动（双击日历新建）</source>
        <translation>{date} · no events (double-click the calendar to add one)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#64748b&apos;&gt;在日历上点选一个活动，查看详情和报名名单；双击空白处新建活动。&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#64748b&apos;&gt;Click an event in the calendar to see its details and registrations; double-click an empty spot to add one.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>报名名单（{n}）</source>
        <translation>Registrations ({n})</translation>
    </message>
    <message>
        <source>yyyy年M月d日 dddd HH:mm</source>
        <translation>dddd, MMM d, yyyy HH:mm</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>重复</source>
        <translation>Repeats</translation>
    </message>
    <message>
        <source>{rule}（{first} 起）</source>
        <translation>{rule} (since {first})</translation>
    </message>
    <message>
        <source>地点/链接</source>
        <translation>Place / link</translation>
    </message>
    <message>
        <source>面向</source>
        <translation>For</translation>
    </message>
    <message>
        <source>主讲/主持</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Unlimited</translation>
    </message>
    <message>
        <source>名额</source>
        <translation>Seats</translation>
    </message>
    <message>
        <source>已报名 {taken} / {cap}，已签到 {checked}，候补 {wait}</source>
        <translation>{taken} / {cap} registered, {checked} checked in, {wait} waitlisted</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Cost</translation>
    </message>
    <message>
        <source>{cost} 元</source>
        <translation>¥{cost}</translation>
    </message>
    <message>
        <source>删除活动</source>
        <translation>Delete event</translation>
    </message>
    <message>
        <source>删除活动「{title}」？</source>
        <translation>Delete the event “{title}”?</translation>
    </message>
    <message>
        <source>它的 {n} 条报名记录也会一并删除。可以用「撤销」(Ctrl+Z) 恢复。</source>
        <translation>Its {n} registrations are deleted with it. Undo (Ctrl+Z) brings everything back.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>为「{title}」报名</source>
        <translation>Register for “{title}”</translation>
    </message>
    <message>
        <source>把 {n} 名报名后没有签到的成员标记为「缺席」，并把活动设为已结束？</source>
        <translation>Mark the {n} registered members who did not check in as no-shows and end the event?</translation>
    </message>
    <message>
        <source>候补名单不受影响；可以撤销。</source>
        <translation>The waitlist is left as it is; this can be undone.</translation>
    </message>
    <message>
        <source>已撤销：{what}</source>
        <translation>Undone: {what}</translation>
    </message>
    <message>
        <source>已把 {n} 名成员标记为缺席，活动已结束</source>
        <translation>{n} members marked as no-shows; the event has ended</translation>
    </message>
    <message>
        <source>日历文件 (*.ics)</source>
        <translation>Calendar files (*.ics)</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出签到表（{n} 人）：{path}</source>
        <translation>Sign-in sheet exported ({n} people): {path}</translation>
    </message>
    <message>
        <source>已导出 {n} 个活动到日历文件：{path}</source>
        <translation>{n} event(s) exported to the calendar file: {path}</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
</context>
<context>
    <name>CheckinDialog</name>
    <message>
        <source>未报名，将现场报名</source>
        <translation>not registered – registers on the spot</translation>
    </message>
    <message>
        <source>门口签到 · {title}</source>
        <translation>Door check-in · {title}</translation>
    </message>
    <message>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>已报名未到</source>
        <translation>Registered, not here yet</translation>
    </message>
    <message>
        <source>候补</source>
        <translation>Waitlisted</translation>
    </message>
    <message>
        <source>人数上限</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>输入姓名、拼音首字母(zs)或手机号，回车签到</source>
        <translation>Type a name, pinyin initials (zs) or phone, then Enter to check in</translation>
    </message>
    <message>
        <source>请输入要签到的成员</source>
        <translation>Type the member to check in</translation>
    </message>
    <message>
        <source>最近签到</source>
        <translation>Recent check-ins</translation>
    </message>
    <message>
        <source>撤销上一次签到 (Ctrl+Z)</source>
        <translation>Undo last check-in (Ctrl+Z)</translation>
    </message>
    <message>
        <source>退出签到模式</source>
        <translation>Leave check-in mode</translation>
    </message>
    <message>
        <source>没有找到「{text}」，请换个写法（姓名、拼音首字母或手机号）</source>
        <translation>Nobody matches “{text}”; try a name, pinyin initials or a phone number</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Unlimited</translation>
    </message>
    <message>
        <source>正在签到「{name}」…</source>
        <translation>Checking in {name}…</translation>
    </message>
    <message>
        <source>没有可撤销的签到</source>
        <translation>No check-in to undo</translation>
    </message>
    <message>
        <source>已撤销：{what}</source>
        <translation>Undone: {what}</translation>
    </message>
</context>
<context>
    <name>EventDialog</name>
    <message>
        <source>编辑活动</source>
        <translation>Edit event</translation>
    </message>
    <message>
        <source>新建活动</source>
        <translation>New event</translation>
    </message>
    <message>
        <source>如 周三夜聊、杭州线下见面会</source>
        <translation>e.g. Wednesday night chat, Hangzhou meetup</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Starts</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>线下地址，或腾讯会议/直播链接</source>
        <translation>Address, or a meeting / live-stream link</translation>
    </message>
    <message>
        <source>地点/链接</source>
        <translation>Place / link</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Unlimited</translation>
    </message>
    <message>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <source>人数上限</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>免费</source>
        <translation>Free</translation>
    </message>
    <message>
        <source> 元</source>
        <translation> yuan</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Cost</translation>
    </message>
    <message>
        <source>重复</source>
        <translation>Repeats</translation>
    </message>
    <message>
        <source>选中后按 Delete 移除</source>
        <translation>Select and press Delete to remove</translation>
    </message>
    <message>
        <source>添加主讲：搜索成员，回车</source>
        <translation>Add a host: search, Enter</translation>
    </message>
    <message>
        <source>主讲/主持</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>都不勾选 = 面向全部群</source>
        <translation>None ticked = all groups</translation>
    </message>
    <message>
        <source>面向的群</source>
        <translation>Groups</translation>
    </message>
    <message>
        <source>活动介绍、议程、注意事项</source>
        <translation>About the event, agenda, notes</translation>
    </message>
    <message>
        <source>简介</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>仍然保存</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>{h} 小时 {m} 分</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <source>{m} 分钟</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>{h} 小时</source>
        <translation>{h} h</translation>
    </message>
    <message>
        <source>未保存：{msg}</source>
        <translation>Not saved: {msg}</translation>
    </message>
    <message>
        <source>与 {n} 个活动时间重叠，且面向相同的成员：</source>
        <translation>Overlaps {n} event(s) for the same members:</translation>
    </message>
    <message>
        <source>……还有 {n} 个</source>
        <translation>…and {n} more</translation>
    </message>
    <message>
        <source>可以修改时间或面向的群后再保存，或者「仍然保存」。</source>
        <translation>Change the time or the groups, or choose “Save anyway”.</translation>
    </message>
    <message>
        <source>重新检查并保存</source>
        <translation>Check again and save</translation>
    </message>
</context>
<context>
    <name>MemberPickDialog</name>
    <message>
        <source>输入后按回车选中第一个结果，或用 ↑↓ 选择。</source>
        <translation>Type, then Enter picks the first hit; ↑↓ to choose another.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MemberSearchBox</name>
    <message>
        <source>搜索姓名、拼音首字母(zs)、全拼或手机号</source>
        <translation>Search name, pinyin initials (zs), full pinyin or phone</translation>
    </message>
</context>
<context>
    <name>MonthGrid</name>
    <message>
        <source>还有 {n} 个…</source>
        <translation>{n} more…</translation>
    </message>
</context>
<context>
    <name>RecurrenceEditor</name>
    <message>
        <source>不重复</source>
        <translation>Does not repeat</translation>
    </message>
    <message>
        <source>每天</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>每周</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>每月</source>
        <translation>Monthly</translation>
    </message>
    <message>
        <source>自定义 RRULE</source>
        <translation>Custom RRULE</translation>
    </message>
    <message>
        <source>每 </source>
        <translation>every </translation>
    </message>
    <message>
        <source>一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>一直重复</source>
        <translation>Forever</translation>
    </message>
    <message>
        <source>截止到</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>重复次数</source>
        <translation>Times</translation>
    </message>
    <message>
        <source> 次</source>
        <translation> times</translation>
    </message>
    <message>
        <source>RRULE，如 FREQ=WEEKLY;BYDAY=WE（每周三）</source>
        <translation>RRULE, e.g. FREQ=WEEKLY;BYDAY=WE (every Wednesday)</translation>
    </message>
    <message>
        <source>天</source>
        <translation>day(s)</translation>
    </message>
    <message>
        <source>周</source>
        <translation>week(s)</translation>
    </message>
    <message>
        <source>个月</source>
        <translation>month(s)</translation>
    </message>
    <message>
        <source>重复：{text}</source>
        <translation>Repeats: {text}</translation>
    </message>
</context>
<context>
    <name>RegistrationsModel</name>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>候补位次</source>
        <translation>Waitlist #</translation>
    </message>
    <message>
        <source>报名时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>签到时间</source>
        <translation>Checked in at</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
</context>
<context>
    <name>commands_events</name>
    <message>
        <source>新建活动「{title}」</source>
        <translation>New event “{title}”</translation>
    </message>
    <message>
        <source>编辑活动「{title}」</source>
        <translation>Edit event “{title}”</translation>
    </message>
    <message>
        <source>删除活动「{title}」</source>
        <translation>Delete event “{title}”</translation>
    </message>
    <message>
        <source>撤销：{what}</source>
        <translation>Undo: {what}</translation>
    </message>
    <message>
        <source>为「{name}」报名</source>
        <translation>Register “{name}”</translation>
    </message>
    <message>
        <source>取消「{name}」的报名</source>
        <translation>Cancel the registration of “{name}”</translation>
    </message>
    <message>
        <source>「{name}」签到</source>
        <translation>Check in “{name}”</translation>
    </message>
    <message>
        <source>标记「{title}」的缺席</source>
        <translation>Mark no-shows of “{title}”</translation>
    </message>
</context>
</TS>
