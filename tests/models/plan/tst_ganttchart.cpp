#include "plan/ganttchart.h"

#include "sampleplan.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QColor kBackground(Qt::white);

/// The chart painted whole into an image of its preferred size at this width, at an offset
/// (so that the tests also check that geometry follows the rectangle, not the origin).
struct Painted
{
    QImage image;
    QRectF rect;
};

Painted paint(const GanttChart &chart, qreal width, QPointF offset = QPointF(30, 20))
{
    const QSizeF size = chart.sizeFor(width);
    Painted out;
    out.rect = QRectF(offset, size);
    out.image
        = QImage(QSize(int(offset.x() + size.width()) + 10, int(offset.y() + size.height()) + 10),
                 QImage::Format_RGB32);
    out.image.fill(kBackground);
    QPainter p(&out.image);
    chart.paint(p, out.rect);
    return out;
}

bool isBackground(QRgb pixel)
{
    return QColor(pixel) == kBackground;
}

int inkIn(const QImage &image, const QRectF &area)
{
    int ink = 0;
    const QRect r = area.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x)
            ink += isBackground(image.pixel(x, y)) ? 0 : 1;
    }
    return ink;
}

int rowOf(const Timeline &t, QStringView key)
{
    for (int i = 0; i < t.stages.size(); ++i) {
        if (t.stages[i].key == key)
            return i;
    }
    return -1;
}

} // namespace

class tst_GanttChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void axisRunsFromMondayToSunday();
    void sizeGrowsWithStages();
    void slicesShareTheHeaderAndEndWithTheLegend();
    void stageAtFindsTheRowUnderThePoint();
    void barsFollowTheDates();
    void paintsBarsAndMilestoneWhereTheGeometrySays();
    void labelsAreInTheLabelColumn();
    void weekendsAreShaded();
    void todayLine();
    void wavesShareAColourAndSuppressionsStandOut();
    void unscheduledAndEmptyTimelines();
};

void tst_GanttChart::axisRunsFromMondayToSunday()
{
    const GanttChart chart(SamplePlan::timeline());
    // Monday 2 March 2026 (the start) to the Sunday after Wednesday 27 May (the last end).
    QCOMPARE(chart.firstDay(), QDate(2026, 3, 2));
    QCOMPARE(chart.lastDay(), QDate(2026, 5, 31));
    QCOMPARE(chart.lastDay().dayOfWeek(), 7);
}

void tst_GanttChart::sizeGrowsWithStages()
{
    Timeline t = SamplePlan::timeline();
    const GanttChart chart(t);
    QCOMPARE(chart.rowCount(), 14);
    const QSizeF size = chart.sizeFor(800);
    QCOMPARE(size.width(), 800.0);
    QCOMPARE(size.height(),
             chart.headerHeight() + 14 * chart.rowHeight() + chart.legendHeight(800));
    QVERIFY(chart.rowHeight() >= 20); // two lines: title and owner

    Stage extra = t.stages.last();
    extra.key = u"extra"_s;
    extra.dependsOn = {u"close"_s};
    t.stages.append(extra);
    t.schedule();
    const GanttChart longer(t);
    QCOMPARE(longer.sizeFor(800).height(), size.height() + chart.rowHeight());

    // Narrower: the label column shrinks within its limits, and the legend may wrap.
    QVERIFY(chart.labelWidth(400) < chart.labelWidth(800));
    QVERIFY(chart.labelWidth(400) >= chart.style().minLabelWidth);
    QVERIFY(chart.legendHeight(300) > chart.legendHeight(1200));
}

void tst_GanttChart::slicesShareTheHeaderAndEndWithTheLegend()
{
    const GanttChart chart(SamplePlan::timeline());
    QCOMPARE(chart.sizeFor(700, 0, 5).height(), chart.headerHeight() + 5 * chart.rowHeight());
    QCOMPARE(chart.sizeFor(700, 10, 4).height(),
             chart.headerHeight() + 4 * chart.rowHeight() + chart.legendHeight(700));

    // A slice paints its first row right under the header.
    const int row = 10;
    const QSizeF size = chart.sizeFor(700, row, 4);
    QImage image(size.toSize() + QSize(1, 1), QImage::Format_RGB32);
    image.fill(kBackground);
    QPainter p(&image);
    chart.paint(p, QRectF(QPointF(0, 0), size), row, 4);
    p.end();
    const QRectF whole(0, 0, 700, chart.sizeFor(700).height());
    const QRectF bar = chart.barRect(row, whole).translated(0, -row * chart.rowHeight());
    QVERIFY(bar.top() > chart.headerHeight()
            && bar.bottom() < chart.headerHeight() + chart.rowHeight());
    QVERIFY(!isBackground(image.pixel(bar.center().toPoint())));
}

void tst_GanttChart::stageAtFindsTheRowUnderThePoint()
{
    const GanttChart chart(SamplePlan::timeline());
    const QRectF rect(QPointF(40, 25), chart.sizeFor(900));
    for (int row = 0; row < chart.rowCount(); ++row) {
        const QRectF r = chart.rowRect(row, rect);
        QCOMPARE(chart.stageAt(r.center(), rect), row);
        QCOMPARE(chart.stageAt(QPointF(rect.left() + 2, r.top() + 1), rect), row); // on the label
        QCOMPARE(chart.stageAt(chart.barRect(row, rect).center(), rect), row);     // on the bar
    }
    QCOMPARE(chart.stageAt(QPointF(rect.center().x(), rect.top() + 2), rect),
             -1); // the axis header
    QCOMPARE(chart.stageAt(QPointF(rect.center().x(), rect.bottom() - 1), rect), -1); // the legend
    QCOMPARE(chart.stageAt(QPointF(rect.left() - 5, chart.rowRect(3, rect).center().y()), rect),
             -1);
    QCOMPARE(chart.stageAt(QPointF(rect.right() + 5, chart.rowRect(3, rect).center().y()), rect),
             -1);
}

void tst_GanttChart::barsFollowTheDates()
{
    const Timeline t = SamplePlan::timeline();
    const GanttChart chart(t);
    const QRectF rect(QPointF(0, 0), chart.sizeFor(1000));

    // A bar runs from the morning of its first day to the evening of its last.
    const int setup = rowOf(t, u"setup");
    const Stage &s = t.stages[setup];
    const QRectF bar = chart.barRect(setup, rect);
    QCOMPARE(bar.left(), chart.xForDate(s.start, rect));
    QCOMPARE(bar.right(), chart.xForDate(s.end.addDays(1), rect));
    QVERIFY(bar.left() > rect.left() + chart.labelWidth(rect.width()));
    QVERIFY(chart.rowRect(setup, rect).contains(bar));

    // Dependencies: what follows starts further right.
    const QRectF wave1 = chart.barRect(rowOf(t, u"wave-1"), rect);
    const QRectF wave2 = chart.barRect(rowOf(t, u"wave-2"), rect);
    QVERIFY(wave2.left() >= wave1.right());

    // A milestone is a square (the diamond's box) centred on the morning of its day.
    const int golive = rowOf(t, u"golive");
    const QRectF diamond = chart.barRect(golive, rect);
    QCOMPARE(diamond.width(), diamond.height());
    QCOMPARE(diamond.center().x(), chart.xForDate(t.stages[golive].start, rect));
}

void tst_GanttChart::paintsBarsAndMilestoneWhereTheGeometrySays()
{
    const Timeline t = SamplePlan::timeline();
    const GanttChart chart(t);
    const Painted painted = paint(chart, 900);

    for (int row = 0; row < chart.rowCount(); ++row) {
        const QRectF bar = chart.barRect(row, painted.rect);
        QVERIFY(!bar.isNull());
        const QColor centre(painted.image.pixel(bar.center().toPoint()));
        if (t.stages[row].milestone)
            continue;
        QVERIFY2(centre.rgb() == chart.colorFor(row).rgb(), qPrintable(t.stages[row].key));
    }

    // The diamond fills its centre, leaves its box's corners, and is dark (go-live).
    const QRectF diamond = chart.barRect(rowOf(t, u"golive"), painted.rect);
    const QColor centre(painted.image.pixel(diamond.center().toPoint()));
    QVERIFY(centre.lightness() < 100);
    const QPoint corner = (diamond.topLeft() + QPointF(1, 1)).toPoint();
    QVERIFY(QColor(painted.image.pixel(corner)).lightness() > 200);
}

void tst_GanttChart::labelsAreInTheLabelColumn()
{
    const GanttChart chart(SamplePlan::timeline());
    const Painted painted = paint(chart, 900);
    const qreal labelRight = painted.rect.left() + chart.labelWidth(painted.rect.width());
    for (int row = 0; row < chart.rowCount(); ++row) {
        QRectF label = chart.rowRect(row, painted.rect);
        label.setRight(labelRight - 2);
        label.adjust(2, 2, 0, -2);
        QVERIFY2(inkIn(painted.image, label) > 30, qPrintable(QString::number(row)));
    }
}

void tst_GanttChart::weekendsAreShaded()
{
    const Timeline t = SamplePlan::timeline();
    const GanttChart chart(t);
    const Painted painted = paint(chart, 1000);
    // Row 0 (the backup, in the first week) is empty in the third week.
    const qreal y = chart.rowRect(0, painted.rect).center().y();
    const qreal saturday = chart.xForDate(QDate(2026, 3, 21), painted.rect);
    const qreal wednesday = chart.xForDate(QDate(2026, 3, 18), painted.rect);
    const qreal day = chart.xForDate(QDate(2026, 3, 19), painted.rect) - wednesday;
    QCOMPARE(painted.image.pixel(QPointF(saturday + day, y).toPoint()),
             chart.style().weekend.rgb());
    QVERIFY(isBackground(painted.image.pixel(QPointF(wednesday + day / 2, y).toPoint())));
}

void tst_GanttChart::todayLine()
{
    GanttStyle style;
    style.today = QDate(2026, 4, 22); // a Wednesday with no bar in the first row
    const GanttChart chart(SamplePlan::timeline(), style);
    const Painted painted = paint(chart, 1000);
    const QRectF row = chart.rowRect(0, painted.rect);
    const qreal x0 = chart.xForDate(style.today, painted.rect);
    const qreal x1 = chart.xForDate(style.today.addDays(1), painted.rect);
    int red = 0;
    for (int y = int(row.top()); y < int(row.bottom()); ++y) {
        for (int x = int(x0); x <= int(x1); ++x) {
            const QColor c(painted.image.pixel(x, y));
            red += (c.red() > 150 && c.green() < 120 && c.blue() < 120) ? 1 : 0;
        }
    }
    QVERIFY(red > 3);

    const GanttChart without(SamplePlan::timeline());
    const Painted plain = paint(without, 1000);
    QVERIFY(isBackground(plain.image.pixel(QPointF((x0 + x1) / 2, row.center().y()).toPoint())));
}

void tst_GanttChart::wavesShareAColourAndSuppressionsStandOut()
{
    const Timeline t = SamplePlan::timeline();
    const GanttChart chart(t);
    const QColor suppressions = chart.colorFor(rowOf(t, u"wave-0"));
    const QColor first = chart.colorFor(rowOf(t, u"wave-1"));
    const QColor last = chart.colorFor(rowOf(t, u"wave-4"));
    QVERIFY(first.rgb() != last.rgb()); // later waves lighter
    QVERIFY(std::abs(first.hslHue() - last.hslHue()) < 15);
    const int apart = std::abs(first.hslHue() - suppressions.hslHue());
    QVERIFY(std::min(apart, 360 - apart) > 90);
}

void tst_GanttChart::unscheduledAndEmptyTimelines()
{
    Timeline t = SamplePlan::timeline();
    for (Stage &s : t.stages)
        s.start = s.end = QDate();
    const GanttChart unscheduled(t);
    QVERIFY(!unscheduled.firstDay().isValid());
    const Painted painted = paint(unscheduled, 600);
    QVERIFY(unscheduled.barRect(0, painted.rect).isNull());
    QCOMPARE(unscheduled.stageAt(unscheduled.rowRect(2, painted.rect).center(), painted.rect), 2);

    const GanttChart empty{Timeline()};
    QCOMPARE(empty.rowCount(), 0);
    QCOMPARE(empty.sizeFor(600).height(), empty.headerHeight());
    const Painted nothing = paint(empty, 600);
    QCOMPARE(empty.stageAt(nothing.rect.center(), nothing.rect), -1);
}

QTEST_MAIN(tst_GanttChart)
#include "tst_ganttchart.moc"
