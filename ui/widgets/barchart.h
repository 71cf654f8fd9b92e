#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QtCharts/QChartView>

/** A small horizontal bar chart of labelled counts (statuses, ratings, age buckets). */
class BarChart : public QChartView
{
    Q_OBJECT

public:
    explicit BarChart(const QString &title, QWidget *parent = nullptr);

    /// Replaces the bars; label and value, top to bottom.
    void setBars(const QList<QPair<QString, qint64>> &bars, const QColor &color);
    /// The values shown, for tests.
    QList<qint64> values() const { return m_values; }

private:
    QString m_title;
    QList<qint64> m_values;
};
