#pragma once

#include "plan/timeline.h"

#include <QColor>
#include <QCoreApplication>
#include <QDate>
#include <QFont>
#include <QList>
#include <QRectF>
#include <QSizeF>

class QPainter;

/**
 * How a GanttChart looks. Lengths are in the painter's logical units: pixels on screen; the PDF
 * scales the painter so that one unit is 1/96 inch. Fonts use pixel sizes for the same reason
 * (a point size would be converted with the device's resolution and then scaled again).
 */
struct GanttStyle
{
    QFont font; ///< stage titles, axis labels (pixel size used)
    int titlePixelSize = 11;
    int smallPixelSize = 9; ///< owners, week numbers, legend
    qreal rowHeight = 0;    ///< 0: derived from the fonts (two lines with owners, else one)
    qreal monthRowHeight = 16;
    qreal weekRowHeight = 14;
    qreal minLabelWidth = 110;
    qreal maxLabelWidth = 240;
    qreal labelFraction = 0.34; ///< of the width, between the two limits above
    bool showOwners = true;
    bool showLegend = true;
    QDate today; ///< a "today" line when valid and inside the axis

    QColor text = QColor(0x22, 0x22, 0x22);
    QColor mutedText = QColor(0x6b, 0x6b, 0x6b);
    QColor gridLine = QColor(0xdd, 0xdd, 0xdd);
    QColor monthLine = QColor(0xa8, 0xa8, 0xa8);
    QColor weekend = QColor(0xf1, 0xf1, 0xf1);
    QColor headerBackground = QColor(0xf6, 0xf7, 0xf9);
    QColor arrow = QColor(0x55, 0x55, 0x55);
    QColor todayLine = QColor(0xd0, 0x21, 0x21);
};

/**
 * A Gantt chart of a scheduled Timeline, painted with QPainter: one row per stage (title and
 * owner in a label column on the left), bars on a date axis with month labels and a tick every
 * Monday, weekends shaded, milestones as diamonds, finish-to-start dependency arrows and an
 * optional today line. The app's widget and the plan PDF both paint it; everything is computed
 * from the rectangle handed in, so a widget hit-tests with the same geometry it painted.
 */
class GanttChart
{
    Q_DECLARE_TR_FUNCTIONS(GanttChart)

public:
    explicit GanttChart(const Timeline &timeline, const GanttStyle &style = {});

    const Timeline &timeline() const { return m_timeline; }
    const GanttStyle &style() const { return m_style; }

    /// One row per stage, in plan order: a row is an index into timeline().stages.
    int rowCount() const { return int(m_timeline.stages.size()); }
    qreal rowHeight() const { return m_rowHeight; }
    qreal headerHeight() const { return m_style.monthRowHeight + m_style.weekRowHeight; }
    /// The legend under the last row (one line per kind that fits); 0 when hidden.
    qreal legendHeight(qreal width) const;
    /// The width of the label column in a chart this wide.
    qreal labelWidth(qreal width) const;
    /// First and last day of the date axis (Monday before the first start, Sunday after the last
    /// end); null when no stage is scheduled.
    QDate firstDay() const { return m_first; }
    QDate lastDay() const { return m_last; }

    /// The size the whole chart needs at this width (header, every row, the legend).
    QSizeF sizeFor(qreal width) const;
    /// The size a slice of rows needs: header, rows [first, first + count) and, when the slice
    /// ends with the last row, the legend.
    QSizeF sizeFor(qreal width, int first, int count) const;

    /// Paints the whole chart into rect (from its top; rect should be sizeFor(rect.width())).
    void paint(QPainter &p, const QRectF &rect) const;
    /// Paints rows [first, first + count) under the axis header: the plan PDF breaks a long
    /// timeline across pages this way. Arrows between two painted rows only.
    void paint(QPainter &p, const QRectF &rect, int first, int count) const;

    /// The row (index into timeline().stages) at pos in a chart painted whole into rect; -1 in
    /// the header, the legend or outside.
    int stageAt(QPointF pos, const QRectF &rect) const;
    /// The row's band, across the label column and the axis, in a chart painted whole into rect.
    QRectF rowRect(int row, const QRectF &rect) const;
    /// The stage's bar, or the bounding box of its diamond; null when it has no dates.
    QRectF barRect(int row, const QRectF &rect) const;
    /// The left edge of day d on the axis.
    qreal xForDate(const QDate &d, const QRectF &rect) const;

    /// Bar colour of a row's stage: each kind its own hue; subscriber waves in shades of one
    /// blue, darker for the first waves; the suppression wave in red.
    QColor colorFor(int row) const;
    static QColor colorFor(StageKind kind);

private:
    struct Geometry;
    Geometry geometry(const QRectF &rect, int first, int count) const;
    QRectF barRectIn(const Geometry &g, int row) const;
    void paintHeader(QPainter &p, const Geometry &g) const;
    void paintGrid(QPainter &p, const Geometry &g) const;
    void paintLabels(QPainter &p, const Geometry &g) const;
    void paintBars(QPainter &p, const Geometry &g) const;
    void paintArrows(QPainter &p, const Geometry &g) const;
    void paintLegend(QPainter &p, const Geometry &g) const;
    QFont font(int pixelSize, bool bold = false) const;
    struct LegendItem;
    QList<LegendItem> legendItems() const;
    QList<QList<int>> legendLines(qreal width) const; ///< indexes into legendItems()

    Timeline m_timeline;
    GanttStyle m_style;
    qreal m_rowHeight = 0;
    QDate m_first;
    QDate m_last;
};
