package xrayasync.localcloud.core.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait.Format;
import software.amazon.awssdk.core.traits.XmlAttributeTrait;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The AWS SDK's model objects as the XML protocols (REST-XML, and the answers of the query protocol) put them on the
 * wire, written and read from the models' field metadata: a member per element under its wire name, lists wrapped in
 * their element with one element per member (or repeated, when flattened), maps as entry/key/value, timestamps in
 * ISO 8601 unless the member says otherwise.
 */
public final class XmlShapes {

    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private XmlShapes() {
    }

    /** A document: the root element, in the namespace if one is given, holding the body the writer puts there. */
    static byte[] document(String root, String namespace, XmlBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter out = OUTPUT.createXMLStreamWriter(bytes, "UTF-8");
            out.writeStartDocument("UTF-8", "1.0");
            out.writeStartElement(root);
            if (namespace != null) {
                out.writeDefaultNamespace(namespace);
            }
            body.write(out);
            out.writeEndElement();
            out.writeEndDocument();
            out.close();
        } catch (XMLStreamException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }

    /** What goes inside a document's root element. */
    @FunctionalInterface
    interface XmlBody {
        void write(XMLStreamWriter out) throws XMLStreamException;
    }

    /**
     * One member of a model object as a document of its own, its value the root element's text: the shape S3 gives a
     * few answers (GetBucketLocation's LocationConstraint) whose one member the SDK models as the payload.
     */
    public static byte[] memberDocument(SdkPojo pojo, String memberName, String namespace) {
        SdkField<?> field = pojo.sdkFieldNameToField().get(memberName);
        Object value = field.getValueOrDefault(pojo);
        return document(field.locationName(), namespace, out -> {
            if (value != null) {
                out.writeCharacters(WireValues.text(field, value, Format.ISO_8601));
            }
        });
    }

    /** Writes a model object's payload members as elements, named as its model names them. */
    static void writeMembers(XMLStreamWriter out, SdkPojo pojo) throws XMLStreamException {
        writeMembers(out, pojo, QueryNames.MODELLED);
    }

    /** Writes a model object's payload members as elements, named as the query protocol's names say. */
    static void writeMembers(XMLStreamWriter out, SdkPojo pojo, QueryNames names) throws XMLStreamException {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (field.location() == MarshallLocation.PAYLOAD && JsonShapes.isSet(value)
                    && !field.containsTrait(XmlAttributeTrait.class)) {
                writeMember(out, field, names.member(field), value, names);
            }
        }
    }

    private static void writeMember(XMLStreamWriter out, SdkField<?> field, String element, Object value,
            QueryNames names) throws XMLStreamException {
        switch (value) {
            case List<?> list -> {
                ListTrait trait = field.getRequiredTrait(ListTrait.class);
                boolean flattened = names.flattened(field);
                if (!flattened) {
                    out.writeStartElement(element);
                }
                String memberElement = flattened ? element : names.listMember(field);
                for (Object member : list) {
                    writeMember(out, trait.memberFieldInfo(), memberElement, member, names);
                }
                if (!flattened) {
                    out.writeEndElement();
                }
            }
            case Map<?, ?> map -> {
                MapTrait trait = field.getRequiredTrait(MapTrait.class);
                boolean flattened = names.flattened(field);
                if (!flattened) {
                    out.writeStartElement(element);
                }
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeStartElement(flattened ? element : "entry");
                    out.writeStartElement(names.mapKey(field));
                    out.writeCharacters(entry.getKey().toString());
                    out.writeEndElement();
                    writeMember(out, trait.valueFieldInfo(), names.mapValue(field), entry.getValue(), names);
                    out.writeEndElement();
                }
                if (!flattened) {
                    out.writeEndElement();
                }
            }
            case SdkPojo pojo -> {
                out.writeStartElement(element);
                writeMembers(out, pojo, names);
                out.writeEndElement();
            }
            default -> {
                out.writeStartElement(element);
                out.writeCharacters(WireValues.text(field, value, Format.ISO_8601));
                out.writeEndElement();
            }
        }
    }

    /** Parses an XML body, refusing DTDs (no entity of a request is ever expanded). */
    static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (ParserConfigurationException impossible) {
            throw new IllegalStateException(impossible);
        } catch (SAXException | IOException malformed) {
            throw new ServiceException(400, "MalformedXML", "The XML you provided was not well-formed or did not"
                    + " validate against the published schema: " + malformed.getMessage());
        }
    }

    /** Reads the children of an element into a model object's builder, then builds it. */
    static <T> T read(Element element, SdkPojo builder) {
        readMembers(element, builder);
        return JsonShapes.build(builder);
    }

    /** Reads the children of an element into a model object's payload members. */
    static void readMembers(Element element, SdkPojo builder) {
        for (SdkField<?> field : builder.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            List<Element> found = children(element, field.unmarshallLocationName());
            Object value = switch (WireValues.type(field)) {
                case LIST -> found.isEmpty() ? null : readList(field, found);
                case MAP -> found.isEmpty() ? null : readMap(field, found);
                default -> found.isEmpty() ? null : readValue(field, found.getFirst());
            };
            if (value != null) {
                field.set(builder, value);
            }
        }
    }

    private static List<Object> readList(SdkField<?> field, List<Element> found) {
        ListTrait trait = field.getRequiredTrait(ListTrait.class);
        List<Element> members = trait.isFlattened() ? found : elementChildren(found.getFirst());
        List<Object> list = new ArrayList<>();
        for (Element member : members) {
            list.add(readValue(trait.memberFieldInfo(), member));
        }
        return list;
    }

    private static Map<String, Object> readMap(SdkField<?> field, List<Element> found) {
        MapTrait trait = field.getRequiredTrait(MapTrait.class);
        List<Element> entries = trait.isFlattened() ? found : elementChildren(found.getFirst());
        Map<String, Object> map = new LinkedHashMap<>();
        for (Element entry : entries) {
            List<Element> keys = children(entry, trait.keyLocationName());
            List<Element> values = children(entry, trait.valueLocationName());
            if (!keys.isEmpty()) {
                map.put(keys.getFirst().getTextContent(), values.isEmpty() ? null
                        : readValue(trait.valueFieldInfo(), values.getFirst()));
            }
        }
        return map;
    }

    private static Object readValue(SdkField<?> field, Element element) {
        return switch (WireValues.type(field)) {
            case SDK_POJO -> read(element, field.constructor().get());
            case LIST -> readList(field, List.of(element));
            case MAP -> readMap(field, List.of(element));
            default -> WireValues.parse(field, element.getTextContent(), Format.ISO_8601);
        };
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> matching = new ArrayList<>();
        for (Element child : elementChildren(parent)) {
            String local = child.getLocalName() != null ? child.getLocalName() : child.getTagName();
            if (local.equals(name)) {
                matching.add(child);
            }
        }
        return matching;
    }

    private static List<Element> elementChildren(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }
}
