<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>首次使用：正在生成演示社群（{n} 名成员）…</source>
        <translation>First run: creating a demo community ({n} members)…</translation>
    </message>
    <message>
        <source>无法打开工作区</source>
        <translation>Cannot open the workspace</translation>
    </message>
</context>
<context>
    <name>AppContext</name>
    <message>
        <source>无法创建工作区所在的文件夹「{folder}」：{reason}</source>
        <translation>Cannot create the workspace folder “{folder}”: {reason}</translation>
    </message>
    <message>
        <source>（进程 {pid}，电脑「{host}」）</source>
        <translation> (process {pid} on “{host}”)</translation>
    </message>
    <message>
        <source>工作区「{name}」已在另一个 sqdesk 窗口中打开{holder}。同一个工作区同一时间只能在一个窗口中打开，请切换到那个窗口或先关闭它。如果确定没有别的窗口在用它，可以删除锁文件「{lock}」后再试。</source>
        <translation>The workspace “{name}” is already open in another sqdesk window{holder}. A workspace can be open in only one window at a time: switch to that window or close it first. If you are sure no other window uses it, delete the lock file “{lock}” and try again.</translation>
    </message>
    <message>
        <source>无法在「{folder}」中创建锁文件：没有写入权限。工作区「{name}」需要放在可写的文件夹里。</source>
        <translation>Cannot create a lock file in “{folder}”: permission denied. The workspace “{name}” must be in a folder you can write to.</translation>
    </message>
    <message>
        <source>无法锁定工作区「{name}」（锁文件「{lock}」）</source>
        <translation>Cannot lock the workspace “{name}” (lock file “{lock}”)</translation>
    </message>
    <message>
        <source>正在打开工作区…</source>
        <translation>Opening the workspace…</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>sqdesk 出现意外错误：{summary}
错误报告已写入 {path}</source>
        <translation>sqdesk hit an unexpected error: {summary}
The error report was written to {path}</translation>
    </message>
    <message>
        <source>出现意外错误</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>sqdesk 遇到了一个意外错误，刚才的操作没有完成。</source>
        <translation>sqdesk hit an unexpected error; the last operation was not completed.</translation>
    </message>
    <message>
        <source>工作区的数据是完整的：每次修改都在一个事务里完成，没做完的修改已全部撤回。
错误报告（不含成员资料）已写入：{path}
如果问题反复出现，请把这个文件发给技术支持。</source>
        <translation>Your workspace is intact: every change is one transaction, and the unfinished one was rolled back completely.
An error report (without member data) was written to: {path}
If this keeps happening, please send that file to support.</translation>
    </message>
    <message>
        <source>此后又发生了 {n} 次错误，也已写入同一文件。</source>
        <translation>{n} more errors happened since; they were written to the same file.</translation>
    </message>
    <message>
        <source>错误：{message}</source>
        <translation>Error: {message}</translation>
    </message>
    <message>
        <source>无法完成</source>
        <translation>Could not complete</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>总览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>重新统计总览数字（F5）</source>
        <translation>Recount the overview figures (F5)</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>在群成员</source>
        <translation>Members in the groups</translation>
    </message>
    <message>
        <source>近 7 天活跃</source>
        <translation>Active in the last 7 days</translation>
    </message>
    <message>
        <source>本周入群</source>
        <translation>Joined this week</translation>
    </message>
    <message>
        <source>本周离开</source>
        <translation>Left this week</translation>
    </message>
    <message>
        <source>待撮合的供给</source>
        <translation>Open offers</translation>
    </message>
    <message>
        <source>待满足的需求</source>
        <translation>Open needs</translation>
    </message>
    <message>
        <source>未来 14 天的活动</source>
        <translation>Events in the next 14 days</translation>
    </message>
    <message>
        <source>群规待办</source>
        <translation>Rule to-dos</translation>
    </message>
    <message>
        <source>即将开始的活动</source>
        <translation>Upcoming events</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
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
        <source>地点 / 链接</source>
        <translation>Place / link</translation>
    </message>
    <message>
        <source>报名</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <source>未来 14 天还没有安排活动。</source>
        <translation>No events are planned for the next 14 days.</translation>
    </message>
    <message>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <source>点击图表，到「分析」里查看每根柱子背后的成员；更多图表也在「分析」。</source>
        <translation>Click a chart to see the members behind each bar in Analytics, where you will also find more charts.</translation>
    </message>
    <message>
        <source>正在统计总览…</source>
        <translation>Counting the overview…</translation>
    </message>
    <message>
        <source>统计失败：{error}</source>
        <translation>Counting failed: {error}</translation>
    </message>
    <message>
        <source>本周：{start} — {end}&#x3000;·&#x3000;统计于 {time}</source>
        <translation>This week: {start} – {end}&#x3000;·&#x3000;counted at {time}</translation>
    </message>
    <message>
        <source>M月d日 ddd</source>
        <translation>ddd d MMM</translation>
    </message>
    <message>
        <source>群主 {owner} · 管理员 {admin} · 骨干 {core}；全部 {total} 人</source>
        <translation>Owner {owner} · admins {admin} · core {core}; {total} people in all</translation>
    </message>
    <message>
        <source>占在群成员 {rate}（有发言、签到或分享）</source>
        <translation>{rate} of members in the groups (posted, checked in or shared)</translation>
    </message>
    <message>
        <source>入群日期在本周的成员</source>
        <translation>Members whose join date is this week</translation>
    </message>
    <message>
        <source>本周退群或被清退、已不在任何群的成员</source>
        <translation>Left or were removed this week and are in no group any more</translation>
    </message>
    <message>
        <source>状态为待处理且未过期</source>
        <translation>Status open and not expired</translation>
    </message>
    <message>
        <source>共 {n} 人已报名</source>
        <translation>{n} people signed up</translation>
    </message>
    <message>
        <source>正在按群规检查成员…</source>
        <translation>Checking members against the rules…</translation>
    </message>
    <message>
        <source>检查群规</source>
        <translation>Checking rules</translation>
    </message>
    <message>
        <source>涉及 {n} 名成员，到「群规」处理</source>
        <translation>{n} member(s) involved; handle them in Rules</translation>
    </message>
    <message>
        <source>M月d日 ddd HH:mm</source>
        <translation>ddd d MMM HH:mm</translation>
    </message>
    <message>
        <source>{n} / {cap}</source>
        <translation>{n} / {cap}</translation>
    </message>
    <message>
        <source>{n} 人</source>
        <translation>{n}</translation>
    </message>
    <message>
        <source>（候补 {n}）</source>
        <translation> (waitlist {n})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>新建…</source>
        <translation>New…</translation>
    </message>
    <message>
        <source>新建一个空的工作区文件</source>
        <translation>Create a new, empty workspace file</translation>
    </message>
    <message>
        <source>打开…</source>
        <translation>Open…</translation>
    </message>
    <message>
        <source>打开一个工作区文件</source>
        <translation>Open a workspace file</translation>
    </message>
    <message>
        <source>连接团队数据库…</source>
        <translation>Connect to a team database…</translation>
    </message>
    <message>
        <source>打开 PostgreSQL 服务器上的工作区（团队模式）</source>
        <translation>Open a workspace on a PostgreSQL server (team mode)</translation>
    </message>
    <message>
        <source>备份…</source>
        <translation>Back up…</translation>
    </message>
    <message>
        <source>把当前工作区备份为一个文件（打开时也可以备份）</source>
        <translation>Back up the current workspace to a file (works while it is open)</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>复制当前工作区到新文件，并改用新文件</source>
        <translation>Copy the current workspace to a new file and continue in the new file</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>关于 sqdesk</source>
        <translation>About sqdesk</translation>
    </message>
    <message>
        <source>工作区(&amp;W)</source>
        <translation>&amp;Workspace</translation>
    </message>
    <message>
        <source>最近使用</source>
        <translation>Recent</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>主工具栏</source>
        <translation>Main toolbar</translation>
    </message>
    <message>
        <source>无法打开工作区</source>
        <translation>Cannot open the workspace</translation>
    </message>
    <message>
        <source>正在打开 {label}…</source>
        <translation>Opening {label}…</translation>
    </message>
    <message>
        <source>新建工作区</source>
        <translation>New workspace</translation>
    </message>
    <message>
        <source>新社群.sqdesk</source>
        <translation>New community.sqdesk</translation>
    </message>
    <message>
        <source>「{name}」已经存在。要使用它，请选择「打开…」；新建工作区请换一个文件名。</source>
        <translation>“{name}” already exists. To use it, choose “Open…”; for a new workspace pick another file name.</translation>
    </message>
    <message>
        <source>打开工作区</source>
        <translation>Open workspace</translation>
    </message>
    <message>
        <source>连接团队数据库</source>
        <translation>Connect to a team database</translation>
    </message>
    <message>
        <source>数据库地址，例如 postgresql+psycopg://用户名@服务器/数据库名：</source>
        <translation>Database URL, e.g. postgresql+psycopg://user@server/database:</translation>
    </message>
    <message>
        <source>团队数据库的地址应以 postgresql 开头。</source>
        <translation>A team database URL starts with postgresql.</translation>
    </message>
    <message>
        <source>备份工作区</source>
        <translation>Back up workspace</translation>
    </message>
    <message>
        <source>只有工作区文件（SQLite）可以这样备份；团队数据库请由服务器备份。</source>
        <translation>Only workspace files (SQLite) can be backed up this way; a team database is backed up on its server.</translation>
    </message>
    <message>
        <source>备份文件不能是工作区本身。</source>
        <translation>The backup cannot be the workspace file itself.</translation>
    </message>
    <message>
        <source>已备份到 {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <source>正在备份工作区…</source>
        <translation>Backing up the workspace…</translation>
    </message>
    <message>
        <source>工作区另存为</source>
        <translation>Save workspace as</translation>
    </message>
    <message>
        <source>sqdesk 工作区 (*.sqdesk);;SQLite 数据库 (*.sqlite *.db);;所有文件 (*)</source>
        <translation>sqdesk workspaces (*.sqdesk);;SQLite databases (*.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <source>{label}（文件不存在）</source>
        <translation>{label} (file not found)</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>清除列表</source>
        <translation>Clear list</translation>
    </message>
    <message>
        <source>工作区已升级到新版本，升级前的备份在 {path}</source>
        <translation>The workspace was upgraded to the new version; the backup from before is at {path}</translation>
    </message>
    <message>
        <source>sqdesk 社群运营工作台</source>
        <translation>sqdesk community workbench</translation>
    </message>
    <message>
        <source>未打开工作区</source>
        <translation>No workspace open</translation>
    </message>
    <message>
        <source>工作区：{label}</source>
        <translation>Workspace: {label}</translation>
    </message>
    <message>
        <source>在群成员 {n} 人</source>
        <translation>{n} members in the groups</translation>
    </message>
    <message>
        <source>正在统计成员…</source>
        <translation>Counting members…</translation>
    </message>
    <message>
        <source>后台处理中…</source>
        <translation>Working in the background…</translation>
    </message>
    <message>
        <source>重新启动 sqdesk 后，界面将切换为{language}。</source>
        <translation>After you restart sqdesk, the interface will be in {language}.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;sqdesk 社群运营工作台 {version}&lt;/h3&gt;&lt;p&gt;管理成员、活动、群规、动态与供求，生成供求简报。数据保存在本机的工作区文件里（或团队的 PostgreSQL 服务器上），离线可用。&lt;/p&gt;&lt;p&gt;Qt for Python (PySide6) {qt}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;sqdesk community workbench {version}&lt;/h3&gt;&lt;p&gt;Members, events, group rules, the activity log and offers &amp;amp; needs, with the supply/demand brief. Your data stays in a workspace file on this computer (or on your team&apos;s PostgreSQL server) and works offline.&lt;/p&gt;&lt;p&gt;Qt for Python (PySide6) {qt}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PlaceholderView</name>
    <message>
        <source>「{title}」还没有在这个版本中提供</source>
        <translation>“{title}” is not part of this version yet</translation>
    </message>
    <message>
        <source>这一页将用来：</source>
        <translation>This screen will: </translation>
    </message>
    <message>
        <source>工作区里已有的数据不受影响；其他页面照常可用。</source>
        <translation>Data already in the workspace is not affected; the other screens work as usual.</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在取消，已做的部分将全部撤回…</source>
        <translation>Cancelling; everything done so far will be rolled back…</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>总览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>本周一览：活跃成员、入群与退群、即将开始的活动、待处理的供求和群规待办。</source>
        <translation>This week at a glance: active members, joins and leaves, upcoming events, open offers and needs, and rule to-dos.</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>全部成员的表格：按姓名、拼音首字母、手机号、微信号、标签即时搜索，按群、角色、等级、状态筛选，批量打标签或移群；成员详情页，以及从 Excel/CSV 导入名单。</source>
        <translation>A table of all members: instant search by name, pinyin initials, phone, WeChat id or tag; filters by group, role, level and status; bulk tagging and moving; a page per member; roster import from Excel/CSV.</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>月视图与周视图的活动日历：编辑活动、报名与候补自动递补、线下活动的门口签到模式、冲突提醒，导出 .ics 日历和可打印的签到表。</source>
        <translation>A month and week calendar of events: the event editor, sign-ups with an automatic waitlist, door check-in for meetups, conflict warnings, and export to .ics and a printable sign-in sheet.</translation>
    </message>
    <message>
        <source>群规</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>群规清单：编辑发布给成员的条文、分类和适用的群，为条目设置可检查的条件与处理动作，查看每条群规的历史版本。</source>
        <translation>The group rules: edit the text published to members, the category and the groups it applies to, give a rule a checkable condition and an action, and see every earlier version.</translation>
    </message>
    <message>
        <source>动态</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>动态记录：按成员、群、类型和日期筛选发言、签到、分享、邀请等记录，手动补录，导入聊天统计，整批撤销一次导入。</source>
        <translation>The activity log: filter posts, check-ins, shares, invitations and more by member, group, kind and date; add entries by hand; import chat statistics; undo an import as a whole.</translation>
    </message>
    <message>
        <source>供求</source>
        <translation>Offers &amp; needs</translation>
    </message>
    <message>
        <source>成员发布的供给与需求：按类别、状态和日期筛选、编辑，记录撮合的结果。</source>
        <translation>What members offer and need: filter by category, status and date, edit, and record how introductions turned out.</translation>
    </message>
    <message>
        <source>分析</source>
        <translation>Analytics</translation>
    </message>
    <message>
        <source>活跃度分析：每位成员的活跃分与等级（核心/活跃/一般/潜水/沉默），日活/周活/月活、入群与退群、留存、活动到场率、去中心化指数、骨干流失风险和发言时段热力图。</source>
        <translation>Engagement analytics: each member&apos;s score and level (core / active / casual / lurker / silent), daily/weekly/monthly actives, joins vs. leaves, retention, event attendance, the decentralisation index, core-member absence risk and a when-people-post heat map.</translation>
    </message>
    <message>
        <source>简报</source>
        <translation>Brief</translation>
    </message>
    <message>
        <source>供求简报：选择时间段和群，预览本期的供给、需求与撮合建议，导出给群主和骨干的 Excel 简报，或复制一段可以直接发到群里的文字版。</source>
        <translation>The supply/demand brief: choose a period and groups, preview this issue&apos;s offers, needs and suggested introductions, export the Excel brief for leaders, or copy a text version ready to paste into a group chat.</translation>
    </message>
</context>
<context>
    <name>Vocab</name>
    <message>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>QQ</source>
        <translation>QQ</translation>
    </message>
    <message>
        <source>企业微信</source>
        <translation>WeCom</translation>
    </message>
    <message>
        <source>飞书</source>
        <translation>Feishu</translation>
    </message>
    <message>
        <source>钉钉</source>
        <translation>DingTalk</translation>
    </message>
    <message>
        <source>线下</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>群主</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>骨干</source>
        <translation>Core member</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>在群</source>
        <translation>In the group</translation>
    </message>
    <message>
        <source>已退出</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>已清退</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>核心</source>
        <translation>Core</translation>
    </message>
    <message>
        <source>活跃</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Casual</translation>
    </message>
    <message>
        <source>潜水</source>
        <translation>Lurker</translation>
    </message>
    <message>
        <source>沉默</source>
        <translation>Silent</translation>
    </message>
    <message>
        <source>供给</source>
        <translation>Offer</translation>
    </message>
    <message>
        <source>需求</source>
        <translation>Need</translation>
    </message>
    <message>
        <source>资源</source>
        <translation>Resources</translation>
    </message>
    <message>
        <source>技能</source>
        <translation>Skills</translation>
    </message>
    <message>
        <source>产品</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>服务</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>合作</source>
        <translation>Partnership</translation>
    </message>
    <message>
        <source>招聘</source>
        <translation>Hiring</translation>
    </message>
    <message>
        <source>求职</source>
        <translation>Job seeking</translation>
    </message>
    <message>
        <source>投资</source>
        <translation>Investment</translation>
    </message>
    <message>
        <source>open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>Matched</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>proposed</source>
        <translation>Proposed</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>met</source>
        <translation>Met</translation>
    </message>
    <message>
        <source>no_result</source>
        <translation>No result</translation>
    </message>
    <message>
        <source>线上讲座</source>
        <translation>Online talk</translation>
    </message>
    <message>
        <source>直播</source>
        <translation>Live stream</translation>
    </message>
    <message>
        <source>线下见面会</source>
        <translation>Meetup</translation>
    </message>
    <message>
        <source>打卡</source>
        <translation>Check-in challenge</translation>
    </message>
    <message>
        <source>分享会</source>
        <translation>Sharing session</translation>
    </message>
    <message>
        <source>筹备</source>
        <translation>Planning</translation>
    </message>
    <message>
        <source>报名中</source>
        <translation>Open for sign-up</translation>
    </message>
    <message>
        <source>已满</source>
        <translation>Full</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>已报名</source>
        <translation>Signed up</translation>
    </message>
    <message>
        <source>候补</source>
        <translation>Waitlisted</translation>
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
        <source>准入</source>
        <translation>Admission</translation>
    </message>
    <message>
        <source>言行</source>
        <translation>Conduct</translation>
    </message>
    <message>
        <source>清退</source>
        <translation>Removal</translation>
    </message>
    <message>
        <source>激励</source>
        <translation>Rewards</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Reminder</translation>
    </message>
    <message>
        <source>警告</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>升为骨干</source>
        <translation>Promote to core</translation>
    </message>
    <message>
        <source>打标签</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>仅标记</source>
        <translation>Flag only</translation>
    </message>
    <message>
        <source>发言</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source>分享</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>邀请</source>
        <translation>Invitation</translation>
    </message>
    <message>
        <source>参加活动</source>
        <translation>Attended event</translation>
    </message>
    <message>
        <source>违规</source>
        <translation>Violation</translation>
    </message>
    <message>
        <source>付费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>入群</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>退群</source>
        <translation>Left group</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>system</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>新建工作区…</source>
        <translation>New workspace…</translation>
    </message>
    <message>
        <source>打开工作区…</source>
        <translation>Open workspace…</translation>
    </message>
    <message>
        <source>正在打开工作区…</source>
        <translation>Opening the workspace…</translation>
    </message>
    <message>
        <source>无法打开工作区</source>
        <translation>Cannot open the workspace</translation>
    </message>
</context>
</TS>
