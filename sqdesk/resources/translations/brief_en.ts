<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
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
            <translation>Short names (张*)</translation>
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
            <translation>Unmasked, the brief contains members' full phone numbers and WeChat IDs.
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
            <source>{period}：{parts}</source>
            <translation>{period}: {parts}</translation>
        </message>
        <message>
            <source>　（{n} 人未授权，未列出）</source>
            <translation>  ({n} without consent, not listed)</translation>
        </message>
        <message>
            <source>　注意：未打码</source>
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
