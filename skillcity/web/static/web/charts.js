/* SkillCity charts (ECharts, loaded before this file on the pages that draw charts). Data comes
   from json_script blocks and labels from data-* attributes: no inline script (see skillcity.js). */
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function jsonOf(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(el, option) {
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  // Training home: vouchers issued and redeemed per town; 33 towns read better as horizontal bars,
  // largest first.
  var voucher = document.getElementById("voucher-chart");
  if (voucher) {
    var v = JSON.parse(voucher.dataset.chart);
    var order = v.towns.map(function (t, i) { return i; }).sort(function (a, b) { return v.issued[a] - v.issued[b]; });
    voucher.style.height = Math.max(360, 22 * order.length + 60) + "px";
    draw(voucher, {tooltip: {trigger: "axis"}, legend: {}, grid: {left: 90, right: 20, top: 30, bottom: 20},
      yAxis: {type: "category", data: order.map(function (i) { return v.towns[i]; })},
      xAxis: {type: "value"},
      series: [{name: voucher.dataset.labelIssued, type: "bar", data: order.map(function (i) { return v.issued[i]; })},
        {name: voucher.dataset.labelRedeemed, type: "bar", data: order.map(function (i) { return v.redeemed[i]; })}]});
  }

  // Policy what-if: baseline against scenario (or reform), by rule, by town and by year.
  var simulate = jsonOf("simulate-chart");
  if (simulate) {
    ["by_rule", "by_town", "by_year"].forEach(function (key) {
      var el = document.getElementById("chart-" + key.replace("_", "-"));
      var s = simulate[key];
      if (!el || !s) { return; }
      draw(el, {
        tooltip: {trigger: "axis"},
        legend: {data: [simulate.names.baseline, simulate.names.scenario]},
        grid: {left: 8, right: 8, bottom: 8, containLabel: true},
        xAxis: {type: "category", data: s.labels, axisLabel: {interval: 0, rotate: s.labels.length > 4 ? 30 : 0}},
        yAxis: {type: "value", name: el.dataset.unit || ""},
        series: [{name: simulate.names.baseline, type: "bar", data: s.baseline.map(Number)},
          {name: simulate.names.scenario, type: "bar", data: s.scenario.map(Number)}]
      });
    });
  }

  // Certification (bureau): certificates issued by year, level, occupation and town.
  var volumes = jsonOf("volumes-data");
  if (volumes) {
    var levelNames = jsonOf("level-labels") || {};
    var bar = function (id, labels, values, horizontal) {
      var el = document.getElementById(id);
      if (!el) { return; }
      var cat = {type: "category", data: labels, axisLabel: {interval: 0, fontSize: 11}};
      var val = {type: "value"};
      draw(el, {grid: {left: horizontal ? 130 : 50, right: 20, top: 10, bottom: 30}, tooltip: {},
        xAxis: horizontal ? val : cat, yAxis: horizontal ? Object.assign(cat, {inverse: true}) : val,
        series: [{type: "bar", data: values, itemStyle: {color: "#9b1c1c"}}]});
    };
    var count = function (r) { return r.count; };
    bar("chart-year", volumes.by_year.map(function (r) { return String(r.issued_on__year); }), volumes.by_year.map(count));
    bar("chart-level", volumes.by_level.map(function (r) { return levelNames[r.level] || String(r.level); }), volumes.by_level.map(count));
    bar("chart-occupation", volumes.by_occupation.map(function (r) { return r.occupation__name; }), volumes.by_occupation.map(count), true);
    bar("chart-town", volumes.by_town.map(function (r) { return r.worker__town__name; }), volumes.by_town.map(count), true);
  }

  // Alliances: people trained per half year.
  var trained = jsonOf("trained-data");
  var trainedChart = document.getElementById("trained-chart");
  if (trained && trainedChart) {
    draw(trainedChart, {
      tooltip: {trigger: "axis"},
      grid: {left: 50, right: 16, top: 24, bottom: 56},
      xAxis: {type: "category", data: trained.map(function (r) { return r.period; }), axisLabel: {rotate: 45}},
      yAxis: {type: "value", name: trainedChart.dataset.unit || ""},
      series: [{type: "bar", name: trainedChart.dataset.label || "", data: trained.map(function (r) { return r.trained; }), itemStyle: {color: "#b3261e"}}]
    });
  }
})();
