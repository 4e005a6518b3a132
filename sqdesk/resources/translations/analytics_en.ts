<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AnalyticsView</name>
    <message>
        <source>分析</source>
        <translation>Analytics</translation>
    </message>
    <message>
        <source>全部群</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>含群主/管理员</source>
        <translation>Include owners/admins</translation>
    </message>
    <message>
        <source>默认不把群主和管理员计入活跃、留存等健康指标</source>
        <translation>By default, group owners and admins are left out of health figures such as activity and retention</translation>
    </message>
    <message>
        <source>保存为 PNG…</source>
        <translation>Save as PNG…</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>群</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>点击图表中的柱子或格子，查看背后的成员。</source>
        <translation>Click a bar or cell in the chart to see the members behind it.</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
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
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>入群日期</source>
        <translation>Joined</translation>
    </message>
    <message>
        <source>相关记录</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>重新计算</source>
        <translation>Recalculate</translation>
    </message>
    <message>
        <source>丢弃缓存，重新计算当前图表（F5）</source>
        <translation>Discard the cache and recalculate this chart (F5)</translation>
    </message>
    <message>
        <source>正在读取群列表…</source>
        <translation>Loading groups…</translation>
    </message>
    <message>
        <source>还没有打开工作区。</source>
        <translation>No workspace is open.</translation>
    </message>
    <message>
        <source>正在计算「{title}」…</source>
        <translation>Calculating “{title}”…</translation>
    </message>
    <message>
        <source>计算失败：{error}</source>
        <translation>Calculation failed: {error}</translation>
    </message>
    <message>
        <source>{what}：正在查找…</source>
        <translation>{what}: searching…</translation>
    </message>
    <message>
        <source>正在查找成员…</source>
        <translation>Finding members…</translation>
    </message>
    <message>
        <source>{what}：{n} 人</source>
        <translation>{what}: {n} member(s)</translation>
    </message>
    <message>
        <source>，{m} 条记录</source>
        <translation>, {m} record(s)</translation>
    </message>
    <message>
        <source>（列出前 {k} 人）</source>
        <translation> (first {k} listed)</translation>
    </message>
    <message>
        <source>保存图表为 PNG</source>
        <translation>Save chart as PNG</translation>
    </message>
    <message>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>已保存 {file}</source>
        <translation>Saved {file}</translation>
    </message>
    <message>
        <source>近 3 个月</source>
        <translation>Last 3 months</translation>
    </message>
    <message>
        <source>近 6 个月</source>
        <translation>Last 6 months</translation>
    </message>
    <message>
        <source>近 12 个月</source>
        <translation>Last 12 months</translation>
    </message>
    <message>
        <source>近 2 年</source>
        <translation>Last 2 years</translation>
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
    <name>ChartCanvas</name>
    <message>
        <source>正在准备图表…</source>
        <translation>Preparing the chart…</translation>
    </message>
    <message>
        <source>没有图表</source>
        <translation>No chart</translation>
    </message>
    <message>
        <source>图表绘制失败：{error}</source>
        <translation>Could not draw the chart: {error}</translation>
    </message>
    <message>
        <source>点击查看：{what}</source>
        <translation>Click to see: {what}</translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>近 {n} 周活跃成员与活跃率</source>
        <translation>Active members and active rate, last {n} weeks</translation>
    </message>
    <message>
        <source>近 {n} 周入群与退群</source>
        <translation>Joins and leaves, last {n} weeks</translation>
    </message>
    <message>
        <source>近 {n} 个月入群成员的留存</source>
        <translation>Retention by join month, last {n} months</translation>
    </message>
    <message>
        <source>图表稍后显示…</source>
        <translation>Charts will appear shortly…</translation>
    </message>
    <message>
        <source>图表计算失败：{error}</source>
        <translation>Chart failed: {error}</translation>
    </message>
    <message>
        <source>正在绘制总览图表…</source>
        <translation>Drawing the overview charts…</translation>
    </message>
</context>
</TS>
