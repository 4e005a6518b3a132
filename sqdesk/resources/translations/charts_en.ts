<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>charts</name>
    <message>
        <source>每日活跃成员与活跃率</source>
        <translation>Daily active members and active rate</translation>
    </message>
    <message>
        <source>每周活跃成员与活跃率</source>
        <translation>Weekly active members and active rate</translation>
    </message>
    <message>
        <source>每月活跃成员与活跃率</source>
        <translation>Monthly active members and active rate</translation>
    </message>
    <message>
        <source>每日入群与退群</source>
        <translation>Daily joins and leaves</translation>
    </message>
    <message>
        <source>每周入群与退群</source>
        <translation>Weekly joins and leaves</translation>
    </message>
    <message>
        <source>每月入群与退群</source>
        <translation>Monthly joins and leaves</translation>
    </message>
    <message>
        <source>日</source>
        <translation>day</translation>
    </message>
    <message>
        <source>周</source>
        <translation>week</translation>
    </message>
    <message>
        <source>月</source>
        <translation>month</translation>
    </message>
    <message>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>所选时段和群里没有可统计的数据</source>
        <translation>No data for the chosen period and groups</translation>
    </message>
    <message>
        <source>活跃成员</source>
        <translation>Active members</translation>
    </message>
    <message>
        <source>活跃率</source>
        <translation>Active rate</translation>
    </message>
    <message>
        <source>活跃成员（人）</source>
        <translation>Active members</translation>
    </message>
    <message>
        <source>活跃率（占当期在群成员）</source>
        <translation>Active rate (of members in the groups)</translation>
    </message>
    <message>
        <source>最近一{unit}（{period}）：活跃 {active} 人 / 在群 {roster} 人，活跃率 {rate}。活跃 = 有发言、签到、分享、邀请或参加活动。</source>
        <translation>Latest {unit} ({period}): {active} active of {roster} in the groups, active rate {rate}. Active = posted, checked in, shared, invited someone or attended an event.</translation>
    </message>
    <message>
        <source>{period} 活跃的成员（{n} 人）</source>
        <translation>Members active {period} ({n})</translation>
    </message>
    <message>
        <source>所选时段没有入群或退群记录</source>
        <translation>No joins or leaves in the chosen period</translation>
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
        <source>净增长</source>
        <translation>Net growth</translation>
    </message>
    <message>
        <source>人数（向上入群，向下退群）</source>
        <translation>Members (joined up, left down)</translation>
    </message>
    <message>
        <source>合计入群 {joins} 人，退群 {leaves} 人，净增长 {net} 人。</source>
        <translation>In all {joins} joined and {leaves} left: net growth {net}.</translation>
    </message>
    <message>
        <source>另有 {n} 人已退出但没有退群日期，未计入。</source>
        <translation> Another {n} left without a date and are not counted.</translation>
    </message>
    <message>
        <source>{period} 入群的成员（{n} 人）</source>
        <translation>Members who joined {period} ({n})</translation>
    </message>
    <message>
        <source>{period} 退群的成员（{n} 人）</source>
        <translation>Members who left {period} ({n})</translation>
    </message>
    <message>
        <source>按入群月份的留存（当月仍活跃的比例）</source>
        <translation>Retention by join month (share still active each month)</translation>
    </message>
    <message>
        <source>所选时段没有新入群的成员</source>
        <translation>No members joined in the chosen period</translation>
    </message>
    <message>
        <source>+{k}月</source>
        <translation>+{k} mo</translation>
    </message>
    <message>
        <source>当月</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>{month}（{n}人）</source>
        <translation>{month} ({n})</translation>
    </message>
    <message>
        <source>入群后第几个月</source>
        <translation>Months after joining</translation>
    </message>
    <message>
        <source>每格 = 该月入群的成员中，在入群后第 k 个月仍有参与（发言/签到/分享/邀请/参加活动）的比例。</source>
        <translation>Each cell = of the members who joined that month, the share who still took part (posted, checked in, shared, invited, attended) k months later.</translation>
    </message>
    <message>
        <source>入群当月</source>
        <translation>in the month they joined</translation>
    </message>
    <message>
        <source>入群后第 {k} 个月</source>
        <translation>{k} month(s) after joining</translation>
    </message>
    <message>
        <source>{month} 入群、{when}仍活跃的成员（{active} / {size} 人）</source>
        <translation>Joined in {month}, active {when} ({active} of {size})</translation>
    </message>
    <message>
        <source>活跃等级分布（截至 {date}，共 {n} 人）</source>
        <translation>Activity levels (as of {date}, {n} members)</translation>
    </message>
    <message>
        <source>没有在群成员</source>
        <translation>No members in the groups</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>五级分布</source>
        <translation>The five levels</translation>
    </message>
    <message>
        <source>本社群</source>
        <translation>This community</translation>
    </message>
    <message>
        <source>参考 20/50/30</source>
        <translation>Reference 20/50/30</translation>
    </message>
    <message>
        <source>与 20/50/30 参考比较</source>
        <translation>Against 20/50/30</translation>
    </message>
    <message>
        <source>等级为「{level}」的成员（{n} 人）</source>
        <translation>Members at level “{level}” ({n})</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>去中心化指数（成员发言占比，整体 {share}）</source>
        <translation>Decentralisation (members&apos; share of posts, overall {share})</translation>
    </message>
    <message>
        <source>所选时段没有发言记录</source>
        <translation>No posts in the chosen period</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>群主/管理员</source>
        <translation>Owners/admins</translation>
    </message>
    <message>
        <source>群 #{id}</source>
        <translation>Group #{id}</translation>
    </message>
    <message>
        <source>发言量占比</source>
        <translation>Share of posts</translation>
    </message>
    <message>
        <source>成员发言占比最低的 {n} 个群（共 {total} 个）</source>
        <translation>The {n} groups with the lowest member share (of {total})</translation>
    </message>
    <message>
        <source>整体</source>
        <translation>Overall</translation>
    </message>
    <message>
        <source>随时间变化</source>
        <translation>Over time</translation>
    </message>
    <message>
        <source>{group}：群主/管理员的发言</source>
        <translation>{group}: posts by owners/admins</translation>
    </message>
    <message>
        <source>{group}：成员的发言</source>
        <translation>{group}: posts by members</translation>
    </message>
    <message>
        <source>{period} 的全部发言</source>
        <translation>All posts, {period}</translation>
    </message>
    <message>
        <source>发言时段热力图（星期 × 小时）</source>
        <translation>When people post (weekday × hour)</translation>
    </message>
    <message>
        <source>{h}时</source>
        <translation>{h}:00</translation>
    </message>
    <message>
        <source>发言条数</source>
        <translation>Posts</translation>
    </message>
    <message>
        <source>最热的时段：{day} {start}:00–{end}:00，{n} 条；共 {total} 条发言。</source>
        <translation>Busiest hour: {day} {start}:00–{end}:00, {n} posts; {total} posts in all.</translation>
    </message>
    <message>
        <source>{day} {start}:00–{end}:00 发言的成员（{n} 条）</source>
        <translation>Members who posted on {day} {start}:00–{end}:00 ({n} posts)</translation>
    </message>
    <message>
        <source>邀请入群</source>
        <translation>Invited</translation>
    </message>
    <message>
        <source>仍在群</source>
        <translation>Still in a group</translation>
    </message>
    <message>
        <source>入群后参与过</source>
        <translation>Took part after joining</translation>
    </message>
    <message>
        <source>（前 {limit} 位，共 {n} 位邀请人）</source>
        <translation> (top {limit} of {n})</translation>
    </message>
    <message>
        <source>邀请人质量：邀请的人留下了吗、参与了吗{more}</source>
        <translation>Inviters: did their invitees stay and take part?{more}</translation>
    </message>
    <message>
        <source>所选时段没有记录了邀请人的新成员</source>
        <translation>No new members with a recorded inviter in the chosen period</translation>
    </message>
    <message>
        <source>留存 {stayed} · 参与 {active}</source>
        <translation>stayed {stayed} · took part {active}</translation>
    </message>
    <message>
        <source>{name} 邀请的成员：{what}（{n} 人）</source>
        <translation>Invited by {name}: {what} ({n})</translation>
    </message>
    <message>
        <source>活动到场与缺席（到场率 {attended}，缺席率 {no_show}）</source>
        <translation>Event attendance (attended {attended}, no-shows {no_show})</translation>
    </message>
    <message>
        <source>所选时段没有有人报名的活动</source>
        <translation>No events with sign-ups in the chosen period</translation>
    </message>
    <message>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>缺席</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>已报名（未签到）</source>
        <translation>Signed up (not checked in)</translation>
    </message>
    <message>
        <source>报名人数</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <source>显示最近 {shown} 场有报名的活动；合计 {events} 场，报名 {registered} 人次，签到 {attended}，缺席 {no_show}。</source>
        <translation>The latest {shown} events with sign-ups; {events} events in all, {registered} sign-ups, {attended} checked in, {no_show} no-shows.</translation>
    </message>
    <message>
        <source>{event}（{date}）已签到的成员</source>
        <translation>{event} ({date}): members who checked in</translation>
    </message>
    <message>
        <source>{event}（{date}）缺席的成员</source>
        <translation>{event} ({date}): members who did not show up</translation>
    </message>
    <message>
        <source>{event}（{date}）已报名未签到的成员</source>
        <translation>{event} ({date}): members signed up but not checked in</translation>
    </message>
    <message>
        <source>发言集中度（基尼系数 {gini}）</source>
        <translation>Concentration of posts (Gini {gini})</translation>
    </message>
    <message>
        <source>完全平均</source>
        <translation>Perfectly even</translation>
    </message>
    <message>
        <source>洛伦兹曲线</source>
        <translation>Lorenz curve</translation>
    </message>
    <message>
        <source>发言成员（按发言量从少到多，共 {n} 人）</source>
        <translation>Members who posted, fewest posts first ({n} in all)</translation>
    </message>
    <message>
        <source>累计发言占比</source>
        <translation>Cumulative share of posts</translation>
    </message>
    <message>
        <source>前 10%
（{n} 人）</source>
        <translation>Top 10%
({n})</translation>
    </message>
    <message>
        <source>其余 90%
（{n} 人）</source>
        <translation>Other 90%
({n})</translation>
    </message>
    <message>
        <source>发言量前 10% 的成员（{n} 人）</source>
        <translation>The top 10% by posts ({n})</translation>
    </message>
    <message>
        <source>其余 90% 发言的成员（{n} 人）</source>
        <translation>The other 90% who posted ({n})</translation>
    </message>
    <message>
        <source>骨干依赖与流失风险</source>
        <translation>Reliance on a few, and core members at risk</translation>
    </message>
    <message>
        <source>发言最多的
{n} 人</source>
        <translation>Top {n}
posters</translation>
    </message>
    <message>
        <source>其他成员</source>
        <translation>Everyone else</translation>
    </message>
    <message>
        <source>一半的发言来自 {n} 人</source>
        <translation>Half of all posts come from {n} members</translation>
    </message>
    <message>
        <source>最后参与 {date}</source>
        <translation>last active {date}</translation>
    </message>
    <message>
        <source>从未参与</source>
        <translation>never active</translation>
    </message>
    <message>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>此前的参与记录数</source>
        <translation>Earlier participation records</translation>
    </message>
    <message>
        <source>，共 {n} 人</source>
        <translation>, {n} in all</translation>
    </message>
    <message>
        <source>最近 {days} 天沉寂的骨干{more}</source>
        <translation>Core members quiet for {days} days{more}</translation>
    </message>
    <message>
        <source>最近 {days} 天没有沉寂的骨干</source>
        <translation>No core member has been quiet for {days} days</translation>
    </message>
    <message>
        <source>发言最多的 {n} 人</source>
        <translation>The top {n} posters</translation>
    </message>
    <message>
        <source>沉寂的骨干 {name} 的发言记录</source>
        <translation>Posts by {name}, a core member who went quiet</translation>
    </message>
    <message>
        <source>{start}～{end} 打卡</source>
        <translation>Check-ins {start}–{end}</translation>
    </message>
    <message>
        <source>{start}～{end} 的签到</source>
        <translation>Check-ins {start}–{end}</translation>
    </message>
    <message>
        <source>打卡坚持曲线：{campaign}（{n} 人参加）</source>
        <translation>Check-in streaks: {campaign} ({n} taking part)</translation>
    </message>
    <message>
        <source>这段时间没有签到（打卡）记录</source>
        <translation>No check-ins in this period</translation>
    </message>
    <message>
        <source>连续打卡到第 k 天</source>
        <translation>Unbroken streak to day k</translation>
    </message>
    <message>
        <source>第 k 天及以后仍在打卡</source>
        <translation>Still checking in on day k or later</translation>
    </message>
    <message>
        <source>第几天（{start} 起）</source>
        <translation>Day (from {start})</translation>
    </message>
    <message>
        <source>占参加者比例</source>
        <translation>Share of participants</translation>
    </message>
    <message>
        <source>坚持全部 {days} 天的：{share}。连续 = 从第一次打卡起一天不断。</source>
        <translation>Kept it up all {days} days: {share}. Unbroken = no day missed since the first check-in.</translation>
    </message>
    <message>
        <source>连续打卡到第 {k} 天的成员</source>
        <translation>Members with an unbroken streak to day {k}</translation>
    </message>
    <message>
        <source>第 {k} 天及以后仍在打卡的成员</source>
        <translation>Members still checking in on day {k} or later</translation>
    </message>
    <message>
        <source>入群与退群、净增长</source>
        <translation>Joins, leaves and net growth</translation>
    </message>
    <message>
        <source>按入群月份的留存热力图</source>
        <translation>Retention by join month</translation>
    </message>
    <message>
        <source>活跃等级分布（对比 20/50/30）</source>
        <translation>Activity levels (vs. 20/50/30)</translation>
    </message>
    <message>
        <source>去中心化指数（分群、随时间）</source>
        <translation>Decentralisation (by group, over time)</translation>
    </message>
    <message>
        <source>邀请人质量</source>
        <translation>Inviter quality</translation>
    </message>
    <message>
        <source>活动到场与缺席</source>
        <translation>Event attendance and no-shows</translation>
    </message>
    <message>
        <source>发言集中度（洛伦兹曲线、基尼系数）</source>
        <translation>Concentration of posts (Lorenz, Gini)</translation>
    </message>
    <message>
        <source>骨干依赖与沉寂的骨干</source>
        <translation>Reliance on a few; quiet core members</translation>
    </message>
    <message>
        <source>打卡坚持曲线</source>
        <translation>Check-in streaks</translation>
    </message>
</context>
</TS>
