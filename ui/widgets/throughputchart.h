#pragma once

#include <QChartView>

class QLineSeries;
class QValueAxis;

/**
 * Records a second over a stage's elapsed time, as a line (Qt Charts). Bounded: past kMaxPoints
 * every other point is dropped, so a run of hours costs the same as a run of minutes.
 */
class ThroughputChart : public QChartView
{
    Q_OBJECT

public:
    explicit ThroughputChart(QWidget *parent = nullptr);

    void clear();
    void addSample(double seconds, double recordsPerSecond);
    int pointCount() const;
    double peak() const { return m_peak; }

    static constexpr int kMaxPoints = 600;

private:
    QLineSeries *m_series;
    QValueAxis *m_x;
    QValueAxis *m_y;
    double m_peak = 0;
};
