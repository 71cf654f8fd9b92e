#include "plan/ganttchart.h"

#include <QFontMetricsF>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace {
constexpr qreal kLabelPadding = 6;
constexpr qreal kArrowStep = 5; // how far an arrow runs right before turning
constexpr qreal kLegendLine = 15;
constexpr qreal kLegendGap = 14; // between two legend items
constexpr qreal kSwatch = 10;
} // namespace

/// Where everything goes in one painted rectangle, for rows [first, first + count).
struct GanttChart::Geometry
{
    QRectF rect;      // the painted area
    qreal labelRight; // x where the axis begins
    qreal axisRight;
    qreal dayWidth;
    qreal rowsTop; // y of the first painted row
    qreal rowHeight;
    QDate firstDay; // of the axis
    int first;
    int count;

    qreal x(const QDate &d) const { return labelRight + dayWidth * qreal(firstDay.daysTo(d)); }
    qreal rowTop(int row) const { return rowsTop + (row - first) * rowHeight; }
    qreal rowsBottom() const { return rowsTop + count * rowHeight; }
    bool shows(int row) const { return row >= first && row < first + count; }
};

struct GanttChart::LegendItem
{
    QString text;
    QColor color;
    enum Shape { Bar, Diamond, Arrow } shape = Bar;
    qreal width = 0; // swatch, gap and text
};

GanttChart::GanttChart(const Timeline &timeline, const GanttStyle &style)
    : m_timeline(timeline)
    , m_style(style)
{
    const QFontMetricsF title(font(m_style.titlePixelSize));
    const QFontMetricsF small(font(m_style.smallPixelSize));
    m_rowHeight = m_style.rowHeight > 0 ? m_style.rowHeight
                  : m_style.showOwners  ? std::ceil(title.height() + small.height() + 6)
                                        : std::ceil(title.height() + 9);

    for (const Stage &s : std::as_const(m_timeline.stages)) {
        if (!s.start.isValid() || !s.end.isValid())
            continue;
        if (!m_first.isValid() || s.start < m_first)
            m_first = s.start;
        if (!m_last.isValid() || s.end > m_last)
            m_last = s.end;
    }
    if (m_first.isValid()) {
        m_first = m_first.addDays(1 - m_first.dayOfWeek()); // the Monday before
        m_last = m_last.addDays(7 - m_last.dayOfWeek());    // the Sunday after
    }
}

QFont GanttChart::font(int pixelSize, bool bold) const
{
    QFont f = m_style.font;
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

qreal GanttChart::labelWidth(qreal width) const
{
    const qreal w
        = std::clamp(width * m_style.labelFraction, m_style.minLabelWidth, m_style.maxLabelWidth);
    return std::min(w, width / 2);
}

QList<GanttChart::LegendItem> GanttChart::legendItems() const
{
    QList<LegendItem> items;
    QList<StageKind> kinds;
    bool milestone = false;
    bool dependency = false;
    for (int row = 0; row < rowCount(); ++row) {
        const Stage &s = m_timeline.stages[row];
        milestone = milestone || s.milestone;
        dependency = dependency || !s.dependsOn.isEmpty();
        if (!s.milestone && !kinds.contains(s.kind))
            kinds.append(s.kind);
    }
    const auto add = [&items](const QString &text, const QColor &color, LegendItem::Shape shape) {
        LegendItem item;
        item.text = text;
        item.color = color;
        item.shape = shape;
        items.append(item);
    };
    for (const StageKind k : std::as_const(kinds))
        add(StageKinds::displayName(k), colorFor(k), LegendItem::Bar);
    if (milestone)
        add(tr("Milestone"), m_style.text, LegendItem::Diamond);
    if (dependency)
        add(tr("Must finish before"), m_style.arrow, LegendItem::Arrow);
    const QFontMetricsF fm(font(m_style.smallPixelSize));
    for (LegendItem &item : items)
        item.width = (item.shape == LegendItem::Arrow ? 2 * kSwatch : kSwatch) + 4
                     + fm.horizontalAdvance(item.text);
    return items;
}

QList<QList<int>> GanttChart::legendLines(qreal width) const
{
    QList<QList<int>> lines;
    const QList<LegendItem> items = legendItems();
    qreal x = 0;
    for (int i = 0; i < items.size(); ++i) {
        if (lines.isEmpty() || (x > 0 && x + items[i].width > width)) {
            lines.append(QList<int>());
            x = 0;
        }
        lines.last().append(i);
        x += items[i].width + kLegendGap;
    }
    return lines;
}

qreal GanttChart::legendHeight(qreal width) const
{
    if (!m_style.showLegend || rowCount() == 0)
        return 0;
    return 6 + kLegendLine * legendLines(width).size();
}

QSizeF GanttChart::sizeFor(qreal width) const
{
    return sizeFor(width, 0, rowCount());
}

QSizeF GanttChart::sizeFor(qreal width, int first, int count) const
{
    first = std::clamp(first, 0, rowCount());
    count = std::clamp(count, 0, rowCount() - first);
    qreal h = headerHeight() + count * m_rowHeight;
    if (first + count == rowCount())
        h += legendHeight(width);
    return {width, h};
}

GanttChart::Geometry GanttChart::geometry(const QRectF &rect, int first, int count) const
{
    Geometry g;
    g.rect = rect;
    g.first = std::clamp(first, 0, rowCount());
    g.count = std::clamp(count, 0, rowCount() - g.first);
    g.labelRight = rect.left() + labelWidth(rect.width());
    g.axisRight = rect.right();
    const qint64 days = m_first.isValid() ? m_first.daysTo(m_last) + 1 : 7;
    g.dayWidth = std::max<qreal>(0, g.axisRight - g.labelRight) / qreal(days);
    g.rowsTop = rect.top() + headerHeight();
    g.firstDay = m_first;
    g.rowHeight = m_rowHeight;
    return g;
}

qreal GanttChart::xForDate(const QDate &d, const QRectF &rect) const
{
    return geometry(rect, 0, rowCount()).x(d);
}

QRectF GanttChart::rowRect(int row, const QRectF &rect) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const Geometry g = geometry(rect, 0, rowCount());
    return QRectF(rect.left(), g.rowTop(row), rect.width(), m_rowHeight);
}

QRectF GanttChart::barRectIn(const Geometry &g, int row) const
{
    const Stage &s = m_timeline.stages[row];
    if (!s.start.isValid() || !s.end.isValid() || !m_first.isValid())
        return {};
    const qreal mid = g.rowTop(row) + m_rowHeight / 2;
    const qreal h = std::min<qreal>(12, m_rowHeight - 8);
    if (s.milestone) {
        // A diamond on the morning of its day: what follows may start that same day.
        const qreal r = h / 2 + 1;
        return QRectF(g.x(s.start) - r, mid - r, 2 * r, 2 * r);
    }
    // At least a sliver, so that a one-day stage on a year-long axis is still seen.
    const qreal left = g.x(s.start);
    const qreal right = std::max(g.x(s.end.addDays(1)), left + 2);
    return QRectF(left, mid - h / 2, right - left, h);
}

QRectF GanttChart::barRect(int row, const QRectF &rect) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return barRectIn(geometry(rect, 0, rowCount()), row);
}

int GanttChart::stageAt(QPointF pos, const QRectF &rect) const
{
    const Geometry g = geometry(rect, 0, rowCount());
    if (pos.x() < rect.left() || pos.x() > rect.right() || pos.y() < g.rowsTop
        || pos.y() >= g.rowsBottom())
        return -1;
    const int row = int((pos.y() - g.rowsTop) / m_rowHeight);
    return row < rowCount() ? row : -1;
}

QColor GanttChart::colorFor(StageKind kind)
{
    switch (kind) {
    case StageKind::Backup:
        return QColor(0x7a, 0x86, 0x8f);
    case StageKind::InitialSetup:
        return QColor(0x2a, 0x9d, 0x8f);
    case StageKind::SuppressionWave:
        return QColor(0xc6, 0x3b, 0x2f);
    case StageKind::SubscriberWave:
        return QColor(0x2b, 0x6c, 0xb5);
    case StageKind::Templates:
        return QColor(0x8a, 0x63, 0xb8);
    case StageKind::Integration:
        return QColor(0xd0, 0x8c, 0x16);
    case StageKind::Testing:
        return QColor(0x4c, 0x9a, 0x3f);
    case StageKind::Training:
        return QColor(0xc2, 0x5a, 0x9a);
    case StageKind::GoLive:
        return QColor(0x1f, 0x2d, 0x3d);
    case StageKind::Review:
        return QColor(0x5f, 0x70, 0x82);
    }
    return Qt::gray;
}

QColor GanttChart::colorFor(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const Stage &s = m_timeline.stages[row];
    if (s.kind != StageKind::SubscriberWave)
        return colorFor(s.kind);
    int wave = 0;
    for (int i = 0; i < row; ++i)
        wave += m_timeline.stages[i].kind == StageKind::SubscriberWave ? 1 : 0;
    // Later waves (the less engaged contacts) get lighter, down to a still legible blue.
    return colorFor(s.kind).lighter(100 + std::min(wave, 5) * 12);
}

void GanttChart::paint(QPainter &p, const QRectF &rect) const
{
    paint(p, rect, 0, rowCount());
}

void GanttChart::paint(QPainter &p, const QRectF &rect, int first, int count) const
{
    const Geometry g = geometry(rect, first, count);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setClipRect(rect);
    paintHeader(p, g);
    paintGrid(p, g);
    paintLabels(p, g);
    if (m_first.isValid()) {
        paintArrows(p, g);
        paintBars(p, g);
    }
    if (g.first + g.count == rowCount())
        paintLegend(p, g);
    p.restore();
}

void GanttChart::paintGrid(QPainter &p, const Geometry &g) const
{
    const qreal top = g.rowsTop;
    const qreal bottom = g.rowsBottom();
    if (m_first.isValid()) {
        // Weekends only when a day is wide enough to see them; otherwise they are noise.
        if (g.dayWidth >= 1.5) {
            for (QDate d = m_first.addDays(5); d <= m_last; d = d.addDays(7))
                p.fillRect(QRectF(g.x(d), top, 2 * g.dayWidth, bottom - top), m_style.weekend);
        }
        p.setPen(QPen(m_style.gridLine, 0.6));
        for (QDate d = m_first; d <= m_last; d = d.addDays(7))
            p.drawLine(QPointF(g.x(d), top), QPointF(g.x(d), bottom));
        // Month lines leave the week row alone: a Monday's label may sit where a month begins.
        p.setPen(QPen(m_style.monthLine, 0.8));
        for (QDate d = QDate(m_first.year(), m_first.month(), 1).addMonths(1); d <= m_last;
             d = d.addMonths(1)) {
            p.drawLine(QPointF(g.x(d), g.rect.top()),
                       QPointF(g.x(d), g.rect.top() + m_style.monthRowHeight));
            p.drawLine(QPointF(g.x(d), top), QPointF(g.x(d), bottom));
        }
    }
    p.setPen(QPen(m_style.gridLine, 0.6));
    for (int row = g.first; row <= g.first + g.count; ++row)
        p.drawLine(QPointF(g.rect.left(), g.rowTop(row)), QPointF(g.axisRight, g.rowTop(row)));
    p.setPen(QPen(m_style.monthLine, 0.8));
    p.drawLine(QPointF(g.labelRight, g.rect.top()), QPointF(g.labelRight, bottom));

    if (m_style.today.isValid() && m_first.isValid() && m_style.today >= m_first
        && m_style.today <= m_last) {
        const qreal x = g.x(m_style.today) + g.dayWidth / 2;
        p.setPen(QPen(m_style.todayLine, 1.2, Qt::DashLine));
        p.drawLine(QPointF(x, g.rect.top() + m_style.monthRowHeight), QPointF(x, bottom));
    }
}

void GanttChart::paintHeader(QPainter &p, const Geometry &g) const
{
    const QRectF monthRow(g.labelRight, g.rect.top(), g.axisRight - g.labelRight,
                          m_style.monthRowHeight);
    const QRectF weekRow(g.labelRight, monthRow.bottom(), monthRow.width(), m_style.weekRowHeight);
    p.fillRect(QRectF(g.rect.left(), g.rect.top(), g.rect.width(), headerHeight()),
               m_style.headerBackground);
    p.setPen(QPen(m_style.monthLine, 0.8));
    p.drawLine(QPointF(g.rect.left(), g.rowsTop), QPointF(g.axisRight, g.rowsTop));

    const QFont stageFont = font(m_style.smallPixelSize, true);
    p.setFont(stageFont);
    p.setPen(m_style.mutedText);
    p.drawText(QRectF(g.rect.left() + kLabelPadding, weekRow.top(),
                      g.labelRight - g.rect.left() - 2 * kLabelPadding, weekRow.height()),
               Qt::AlignLeft | Qt::AlignVCenter, tr("Stage"));
    if (!m_first.isValid())
        return;

    const QLocale locale;
    const QFont monthFont = font(m_style.smallPixelSize + 1, true);
    const QFontMetricsF monthMetrics(monthFont);
    p.setFont(monthFont);
    p.setPen(m_style.text);
    for (QDate m(m_first.year(), m_first.month(), 1); m <= m_last; m = m.addMonths(1)) {
        const qreal x0 = g.x(std::max(m, m_first));
        const qreal x1 = g.x(std::min(m.addMonths(1), m_last.addDays(1)));
        const qreal room = x1 - x0 - 6;
        // The longest form that fits: "March 2026", "Mar 2026", "Mar", nothing.
        for (const QString &format :
             {QStringLiteral("MMMM yyyy"), QStringLiteral("MMM yyyy"), QStringLiteral("MMM")}) {
            const QString text = locale.toString(m, format);
            if (monthMetrics.horizontalAdvance(text) <= room) {
                p.drawText(QRectF(x0 + 3, monthRow.top(), x1 - x0 - 3, monthRow.height()),
                           Qt::AlignLeft | Qt::AlignVCenter, text);
                break;
            }
        }
    }

    // A label on every Monday that has room for one: every week, or every second, fourth ...
    const QFont weekFont = font(m_style.smallPixelSize);
    const QFontMetricsF weekMetrics(weekFont);
    p.setFont(weekFont);
    p.setPen(m_style.mutedText);
    const qreal weekWidth = 7 * g.dayWidth;
    const qreal dayLabelWidth = weekMetrics.horizontalAdvance(QStringLiteral("30")) + 6;
    int every = 1;
    while (every * weekWidth < dayLabelWidth && every < 64)
        every *= 2;
    int week = 0;
    for (QDate d = m_first; d <= m_last; d = d.addDays(7), ++week) {
        const qreal x = g.x(d);
        p.setPen(QPen(m_style.gridLine, 0.6));
        p.drawLine(QPointF(x, weekRow.top() + weekRow.height() / 2), QPointF(x, weekRow.bottom()));
        if (week % every != 0)
            continue;
        p.setPen(m_style.mutedText);
        p.drawText(QRectF(x + 2, weekRow.top(), every * weekWidth - 2, weekRow.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(d.day()));
    }
}

void GanttChart::paintLabels(QPainter &p, const Geometry &g) const
{
    const QFont titleFont = font(m_style.titlePixelSize);
    const QFont ownerFont = font(m_style.smallPixelSize);
    const QFontMetricsF titleMetrics(titleFont);
    const QFontMetricsF ownerMetrics(ownerFont);
    const qreal room = g.labelRight - g.rect.left() - 2 * kLabelPadding;
    for (int row = g.first; row < g.first + g.count; ++row) {
        const Stage &s = m_timeline.stages[row];
        const qreal top = g.rowTop(row);
        const bool owner = m_style.showOwners && !s.owner.isEmpty();
        const qreal textHeight = titleMetrics.height() + (owner ? ownerMetrics.height() : 0);
        const qreal y = top + (m_rowHeight - textHeight) / 2;
        p.setFont(titleFont);
        p.setPen(m_style.text);
        p.drawText(QRectF(g.rect.left() + kLabelPadding, y, room, titleMetrics.height()),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   titleMetrics.elidedText(s.title, Qt::ElideRight, room));
        if (owner) {
            p.setFont(ownerFont);
            p.setPen(m_style.mutedText);
            p.drawText(QRectF(g.rect.left() + kLabelPadding, y + titleMetrics.height(), room,
                              ownerMetrics.height()),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       ownerMetrics.elidedText(s.owner, Qt::ElideRight, room));
        }
    }
}

namespace {
QPolygonF diamond(const QRectF &r)
{
    const QPointF c = r.center();
    return QPolygonF({QPointF(c.x(), r.top()), QPointF(r.right(), c.y()),
                      QPointF(c.x(), r.bottom()), QPointF(r.left(), c.y())});
}

void arrowHead(QPainter &p, QPointF tip, qreal dx, qreal dy, const QColor &color)
{
    // dx, dy: the unit direction the arrow points to.
    const qreal len = 4.5;
    const qreal half = 2.6;
    const QPointF base = tip - QPointF(dx * len, dy * len);
    const QPointF side(-dy * half, dx * half);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPolygon(QPolygonF({tip, base + side, base - side}));
}
} // namespace

void GanttChart::paintBars(QPainter &p, const Geometry &g) const
{
    for (int row = g.first; row < g.first + g.count; ++row) {
        const QRectF r = barRectIn(g, row);
        if (r.isNull())
            continue;
        const QColor color = colorFor(row);
        p.setPen(QPen(color.darker(140), 0.8));
        p.setBrush(color);
        if (m_timeline.stages[row].milestone)
            p.drawPolygon(diamond(r));
        else
            p.drawRoundedRect(r, 2, 2);
    }
}

void GanttChart::paintArrows(QPainter &p, const Geometry &g) const
{
    QHash<QString, int> rows;
    for (int row = 0; row < rowCount(); ++row)
        rows.insert(m_timeline.stages[row].key, row);
    for (int row = g.first; row < g.first + g.count; ++row) {
        const QRectF to = barRectIn(g, row);
        if (to.isNull())
            continue;
        for (const QString &dep : m_timeline.stages[row].dependsOn) {
            const int from = rows.value(dep, -1);
            if (from < 0 || from == row || !g.shows(from))
                continue;
            const QRectF f = barRectIn(g, from);
            if (f.isNull())
                continue;
            // Out of the predecessor's end, a step to the right, then down (or up) into the
            // successor, pointing at the bar so that the arrow never hides behind it.
            const QPointF start(f.right(), f.center().y());
            qreal x = std::max(start.x() + kArrowStep,
                               to.left() + std::min(kArrowStep, to.width() / 2));
            x = std::min(x, std::max(to.left(), to.right() - std::min(kArrowStep, to.width() / 2)));
            const bool down = to.center().y() > start.y();
            const QPointF tip(x, down ? to.top() : to.bottom());
            QPainterPath path(start);
            path.lineTo(x, start.y());
            path.lineTo(tip);
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(m_style.arrow, 0.9));
            p.drawPath(path);
            arrowHead(p, tip, 0, down ? 1 : -1, m_style.arrow);
        }
    }
}

void GanttChart::paintLegend(QPainter &p, const Geometry &g) const
{
    if (!m_style.showLegend || rowCount() == 0)
        return;
    const QList<LegendItem> items = legendItems();
    const QFont legendFont = font(m_style.smallPixelSize);
    p.setFont(legendFont);
    qreal y = g.rowsBottom() + 6;
    for (const QList<int> &line : legendLines(g.rect.width())) {
        qreal x = g.rect.left();
        const qreal mid = y + kLegendLine / 2;
        for (const int i : line) {
            const LegendItem &item = items[i];
            qreal swatch = kSwatch;
            const QRectF box(x, mid - kSwatch / 2, kSwatch, kSwatch);
            switch (item.shape) {
            case LegendItem::Bar:
                p.setPen(QPen(item.color.darker(140), 0.8));
                p.setBrush(item.color);
                p.drawRoundedRect(box.adjusted(0, 2, 0, -2), 1.5, 1.5);
                break;
            case LegendItem::Diamond:
                p.setPen(QPen(item.color.darker(140), 0.8));
                p.setBrush(item.color);
                p.drawPolygon(diamond(box));
                break;
            case LegendItem::Arrow:
                swatch = 2 * kSwatch;
                p.setPen(QPen(item.color, 0.9));
                p.drawLine(QPointF(x, mid), QPointF(x + swatch - 1, mid));
                arrowHead(p, QPointF(x + swatch, mid), 1, 0, item.color);
                break;
            }
            p.setPen(m_style.mutedText);
            p.drawText(QRectF(x + swatch + 4, y, item.width, kLegendLine),
                       Qt::AlignLeft | Qt::AlignVCenter, item.text);
            x += item.width + kLegendGap;
        }
        y += kLegendLine;
    }
}
