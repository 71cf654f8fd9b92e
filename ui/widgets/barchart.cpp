#include "widgets/barchart.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

BarChart::BarChart(const QString &title, QWidget *parent) : QChartView(parent), m_title(title)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    setChart(chart);
}

void BarChart::setBars(const QList<QPair<QString, qint64>> &bars, const QColor &color)
{
    m_values.clear();
    auto *chart = new QChart;
    chart->setTitle(m_title);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);

    auto *set = new QBarSet(m_title);
    set->setColor(color);
    set->setBorderColor(color);
    set->setLabelColor(palette().color(QPalette::Text));
    QStringList categories;
    qint64 max = 0;
    // QHorizontalBarSeries draws the first category at the bottom: add in reverse.
    for (auto it = bars.crbegin(); it != bars.crend(); ++it) {
        categories.append(it->first);
        set->append(double(it->second));
        max = std::max(max, it->second);
    }
    for (const auto &b : bars)
        m_values.append(b.second);

    auto *series = new QHorizontalBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsFormat(QStringLiteral("@value"));
    chart->addSeries(series);

    auto *categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    chart->addAxis(categoryAxis, Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    auto *valueAxis = new QValueAxis;
    valueAxis->setRange(0, max > 0 ? double(max) * 1.2 : 1.0);
    valueAxis->setLabelFormat(QStringLiteral("%d"));
    valueAxis->setTickCount(5);
    chart->addAxis(valueAxis, Qt::AlignBottom);
    series->attachAxis(valueAxis);

    QChart *old = this->chart();
    setChart(chart);
    delete old;
}
