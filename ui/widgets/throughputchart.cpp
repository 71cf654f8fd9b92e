#include "widgets/throughputchart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

ThroughputChart::ThroughputChart(QWidget *parent) : QChartView(parent)
{
    setObjectName(QStringLiteral("throughputChart"));
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    m_series = new QLineSeries(chart);
    chart->addSeries(m_series);
    m_x = new QValueAxis(chart);
    m_x->setTitleText(tr("seconds"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_y = new QValueAxis(chart);
    m_y->setTitleText(tr("records/s"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(150);
    clear();
}

void ThroughputChart::clear()
{
    m_series->clear();
    m_peak = 0;
    m_x->setRange(0, 10);
    m_x->applyNiceNumbers(); // ticks at whole numbers: the labels show no decimals
    m_y->setRange(0, 10);
    m_y->applyNiceNumbers();
}

void ThroughputChart::addSample(double seconds, double recordsPerSecond)
{
    if (m_series->count() >= kMaxPoints) {
        QList<QPointF> kept;
        const QList<QPointF> points = m_series->points();
        kept.reserve(points.size() / 2 + 1);
        for (qsizetype i = 0; i < points.size(); i += 2)
            kept.append(points.at(i));
        m_series->replace(kept);
    }
    m_series->append(seconds, recordsPerSecond);
    m_peak = std::max(m_peak, recordsPerSecond);
    m_x->setRange(0, std::max(10.0, std::ceil(seconds)));
    m_x->applyNiceNumbers();
    m_y->setRange(0, std::max(10.0, std::ceil(m_peak * 1.15)));
    m_y->applyNiceNumbers();
}

int ThroughputChart::pointCount() const
{
    return int(m_series->count());
}
