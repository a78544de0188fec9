import { describe, expect, it } from '@jest/globals';
import { locateProperties } from '../formats/properties/locate.js';
import { indexPosition, log4j2Appenders, log4jAppenders, prop } from './log4j.js';

describe('log4j appenders', () => {
  it('groups log4j 1.x keys by appender, the class on the bare key, the last duplicate winning', () => {
    const doc = locateProperties('log4j.appender.A = x.Cls\nlog4j.appender.A.layout=L\nlog4j.appender.A.Layout.ConversionPattern=%m\nlog4j.appender.B=y\nlog4j.appender.A.layout=L2\n');
    const a = log4jAppenders(doc).get('A')!;
    expect(a.classEntry!.value).toBe('x.Cls');
    expect(prop(a, 'layout')).toBe('L2');
    expect(prop(a, 'layout.conversionPattern')).toBe('%m');
    expect(a.last.key).toBe('log4j.appender.A.layout');
  });

  it('counts only the log4j2 appenders the appenders list names, when there is one', () => {
    const listed = locateProperties('appenders = A, C\nappender.A.type = RollingFile\nappender.B.type = RollingFile\nappender.C.type = File\n');
    expect([...log4j2Appenders(listed).keys()]).toEqual(['A', 'C']);
    const all = locateProperties('appender.A.type = RollingFile\nappender.B.type = RollingFile\n');
    expect([...log4j2Appenders(all).keys()]).toEqual(['A', 'B']);
  });
});

describe('indexPosition', () => {
  const put = (p: string): string => p.slice(0, indexPosition(p)) + '-%i' + p.slice(indexPosition(p));
  it('goes after the last date conversion, else before the extension, else at the end', () => {
    expect(put('${sys:carbon.home}/repository/logs/wso2carbon-%d{MM-dd-yyyy}.log')).toBe('${sys:carbon.home}/repository/logs/wso2carbon-%d{MM-dd-yyyy}-%i.log');
    expect(put('logs/tm-%d{MM-dd-yyyy}.out')).toBe('logs/tm-%d{MM-dd-yyyy}-%i.out');
    expect(put('logs/%d{yyyy}/app-%d{MM-dd}.log.gz')).toBe('logs/%d{yyyy}/app-%d{MM-dd}-%i.log.gz');
    expect(put('logs.d/app.log.gz')).toBe('logs.d/app-%i.log.gz');
    expect(put('logs/app')).toBe('logs/app-%i');
  });
});
